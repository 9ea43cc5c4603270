import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { buildConfig, type AppConfig, type RawConfig } from '../../src/config/app-config';
import { createApp } from '../../src/create-app';

/** A real server for a test: a fresh workspace in a temp dir, its SQLite file, listening on 127.0.0.1:<free port>. */
export interface TestApp {
  readonly app: INestApplication;
  readonly config: AppConfig;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly workspace: string;
  /** Closes the app (the workspace stays, so a restart on it can be tested). */
  close(): Promise<void>;
}

/** Makes an empty workspace folder in the OS temp dir. */
export function makeWorkspace(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'aiaa-api-'));
}

/**
 * Starts the app the way `main.ts` does (through `createApp`) on `workspace` (a new temp dir when absent), with
 * `--workers 0` unless `raw` says otherwise. `raw` overrides settings, as flags would.
 */
export async function startTestApp(raw: RawConfig = {}, workspace?: string): Promise<TestApp> {
  const dir = workspace ?? (await makeWorkspace());
  // Models run on the main thread unless a test asks for workers: starting worker threads that compile the sources
  // costs seconds per upload.
  const config = buildConfig({ host: '127.0.0.1', port: 0, workers: 0, ...raw, workspace: dir });
  const app = await createApp(config, { console: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    config,
    base: `http://127.0.0.1:${address.port}`,
    workspace: dir,
    close: () => app.close(),
  };
}

/** Removes a temp workspace. */
export function removeWorkspace(dir: string): Promise<void> {
  return fs.rm(dir, { recursive: true, force: true });
}

/** How long starting (or closing) an app may take on a busy 2-core machine: SWC, SQLite, models, workers. */
const START_TIMEOUT_MS = 60_000;

/** A {@link TestApp} owned by a `describe` block, that its tests can also restart on the same workspace. */
export interface SharedTestApp extends TestApp {
  /**
   * Closes the app and starts it again on its workspace (`raw` overrides settings, as for the first start);
   * `whileStopped` runs in between (to change the workspace as an operator would).
   */
  restart(raw?: RawConfig, whileStopped?: () => Promise<void>): Promise<void>;
}

/**
 * The setup of an e2e `describe` block: before its tests, a real app on a fresh temp workspace (`prepare` fills the
 * workspace first: plugins, model folders); after them, the app closed and the workspace removed. Call it at the top
 * of the block; the returned handle is usable from the block's own `beforeAll` on.
 */
export function useTestApp(
  raw: RawConfig | (() => RawConfig) = {},
  prepare?: (workspace: string) => Promise<void>,
): SharedTestApp {
  const settings = (): RawConfig => (typeof raw === 'function' ? raw() : raw);
  let workspace: string | undefined;
  let current: TestApp | undefined;
  const started = (): TestApp => {
    if (!current) {
      throw new Error("useTestApp: the app starts in the block's beforeAll");
    }
    return current;
  };
  beforeAll(async () => {
    workspace = await makeWorkspace();
    await prepare?.(workspace);
    current = await startTestApp(settings(), workspace);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await current?.close();
    if (workspace !== undefined) {
      await removeWorkspace(workspace);
    }
  }, START_TIMEOUT_MS);
  return {
    get app() {
      return started().app;
    },
    get config() {
      return started().config;
    },
    get base() {
      return started().base;
    },
    get workspace() {
      return started().workspace;
    },
    close: () => started().close(),
    restart: async (again: RawConfig = settings(), whileStopped?: () => Promise<void>) => {
      const previous = started();
      current = undefined;
      await previous.close();
      await whileStopped?.();
      current = await startTestApp(again, previous.workspace);
    },
  };
}
