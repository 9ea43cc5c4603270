import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '@aiaa/core/testing';

/** The repository root (where `npm start` runs). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** A server started as `npm start` starts it (tools/scripts/start.js), in its own process group. */
export interface ServerProcess {
  readonly base: string;
  readonly child: ChildProcess;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  /** Stops the server and its children (SIGTERM to the process group), waiting for the exit. */
  stop(): Promise<void>;
}

/** The free-port finder of every test that starts a server, here beside the server starters that use it. */
export { freePort };

/**
 * Runs `node tools/scripts/start.js --workspace <workspace> --port <port> --host 127.0.0.1 [...flags]` and waits (at
 * most `timeoutMs`) until `GET /health` answers 200. The port is a free one unless given.
 */
export async function startServerProcess(
  workspace: string,
  timeoutMs = 90_000,
  port?: number,
  flags: readonly string[] = [],
): Promise<ServerProcess> {
  port ??= await freePort();
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'tools/scripts/start.js'),
      '--workspace',
      workspace,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      ...flags,
    ],
    { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
      return { base, child, output: () => output, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`the server did not answer /health within ${timeoutMs} ms:\n${output}`);
}

/** The pid of the server process (the Node running main.ts) listening on `port`, from /proc. */
export async function serverPid(port: number): Promise<number | undefined> {
  for (const entry of await fs.promises.readdir('/proc')) {
    const cmdline = await fs.promises.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('apps/api/src/main.ts') && cmdline.includes(`\0${port}\0`)) {
      return Number(entry);
    }
  }
  return undefined;
}

/** The error and warning lines of a workspace's log `file` (pino levels 40 and up), for failure messages. */
export function logProblems(workspace: string, file = 'aiaa.log'): string {
  try {
    return fs
      .readFileSync(path.join(workspace, 'logs', file), 'utf8')
      .split('\n')
      .filter((line) => /^\{"level":(4|5|6)\d,/.test(line))
      .join('\n');
  } catch {
    return '';
  }
}
