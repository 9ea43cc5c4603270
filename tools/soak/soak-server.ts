// The server the soak runs against: started as `npm start` starts it, on a temporary workspace holding one demo model.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '@aiaa/core/testing';
import { serverPidUnder } from './proc-stats';
import { SOAK_DIMS } from './soak-volume';

/** The repository root (where `npm start` runs). */
const REPO_ROOT = path.resolve(__dirname, '../..');

/** The demo model the soak segments with (workspace/models, committed). */
export const SOAK_MODEL = 'spleen_ct_threshold';

/** A server started as `npm start` starts it (tools/scripts/start.js), in its own process group. */
export interface ServerProcess {
  readonly base: string;
  readonly child: ChildProcess;
  /** Stops the server and its children (SIGTERM to the process group), waiting for the exit. */
  stop(): Promise<void>;
}

export interface SoakServer {
  readonly process: ServerProcess;
  /** The node process running the server (the launcher's child): the one whose RSS and fds are sampled. */
  readonly pid: number;
  readonly workspace: string;
  /** Stops the server and removes its workspace. */
  stop(): Promise<void>;
}

/**
 * Copies {@link SOAK_MODEL} into `workspace`, its sliding window set to the soak CT's size: the committed 32×256×256
 * window pads a 32×64×64 CT 16-fold and spends ~400 ms per request in the convolution, which would measure the
 * model rather than the server. The network, the transforms and the sliding-window path stay as committed.
 */
async function installModel(workspace: string): Promise<void> {
  // Version 1 as the repository ships it, not the checkout's whole folder (which may hold uploads).
  const folder = path.join(workspace, 'models', SOAK_MODEL, '1');
  await fs.cp(path.join(REPO_ROOT, 'workspace', 'models', SOAK_MODEL, '1'), folder, { recursive: true });
  const configFile = path.join(folder, 'config_aiaa.json');
  const config = JSON.parse(await fs.readFile(configFile, 'utf8')) as { inference: { roi?: number[] } };
  const [nx, ny, nz] = SOAK_DIMS;
  config.inference.roi = [nz, ny, nx];
  await fs.writeFile(configFile, JSON.stringify(config, null, 2));
}

/** Installs {@link SOAK_MODEL} in a new temp workspace and starts the server on it, on 127.0.0.1. */
export async function startSoakServer(): Promise<SoakServer> {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'aiaa-soak-'));
  const remove = (): Promise<void> => fs.rm(workspace, { recursive: true, force: true });
  try {
    await installModel(workspace);
    const server = await startServerProcess(workspace);
    try {
      const pid = serverPidUnder(server.child.pid ?? -1);
      return {
        process: server,
        pid,
        workspace,
        stop: async () => {
          await server.stop();
          await remove();
        },
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Runs `node tools/scripts/start.js --workspace <workspace> --port <free> --host 127.0.0.1` and waits (at most
 * `timeoutMs`) until `GET /health` answers 200.
 */
async function startServerProcess(workspace: string, timeoutMs = 90_000): Promise<ServerProcess> {
  const port = await freePort();
  const script = path.join(REPO_ROOT, 'tools/scripts/start.js');
  const args = [script, '--workspace', workspace, '--port', String(port), '--host', '127.0.0.1'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited with code ${child.exitCode}:\n${output}`);
    }
    const ok = await fetch(`${base}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) {
      return { base, child, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`the server did not answer /health within ${timeoutMs} ms:\n${output}`);
}

/** The ERROR and WARN lines of a workspace's log, for failure messages. */
export function logProblems(workspace: string): string {
  try {
    return readFileSync(path.join(workspace, 'logs', 'aiaa.log'), 'utf8')
      .split('\n')
      .filter((line) => / (ERROR|WARN) /.test(line))
      .join('\n');
  } catch {
    return '';
  }
}
