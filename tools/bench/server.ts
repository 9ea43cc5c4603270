import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './volumes';

/**
 * How long after its last request the server's memory has settled: its threads collect garbage and trim the native
 * heap 1 s after going idle (libs/inference idle-collector); the rest is margin for a busy machine.
 */
export const IDLE_SETTLE_MS = 3000;

/** Waits {@link IDLE_SETTLE_MS}, so that the next RSS reading sees what the requests before it kept. */
export function afterIdleCollection(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
}

/** What the probe preloaded into the server reports (see server-probe.js). */
export interface ProbeReport {
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  peakRssBytes: number;
  /** Resident memory when the probe answered. */
  rssBytes: number;
}

/**
 * The real server, started from sources on 127.0.0.1 with a temporary workspace holding the given models: demo model
 * names (from workspace/models) or absolute model folders.
 */
export class BenchServer {
  private constructor(
    readonly baseUrl: string,
    private readonly child: ChildProcess,
    private readonly workspace: string,
  ) {}

  static async start(models: readonly string[], extraArgs: readonly string[] = []): Promise<BenchServer> {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'aiaa-bench-ws-'));
    for (const model of models) {
      // A folder of the bench's own (absolute), or version 1 as the repository ships it, not the checkout's whole
      // folder (which may hold uploads).
      const source = path.isAbsolute(model) ? model : path.join(REPO_ROOT, 'workspace', 'models', model, '1');
      if (!existsSync(source)) {
        throw new Error(`demo model ${model} is missing in workspace/models: run \`npm run demo-models\``);
      }
      cpSync(source, path.join(workspace, 'models', path.basename(model), '1'), { recursive: true });
    }
    mkdirSync(path.join(workspace, 'lib'), { recursive: true });
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      process.execPath,
      [
        // as tools/scripts/run-ts.js starts `npm start` (its environment comes from the bench's own, set there too)
        '--expose-gc',
        '-r',
        '@swc-node/register',
        '-r',
        path.join(__dirname, 'server-probe.js'),
        path.join(REPO_ROOT, 'apps/api/src/main.ts'),
        '--workspace',
        workspace,
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        ...extraArgs,
      ],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: { ...process.env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.base.json') },
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const server = new BenchServer(`http://127.0.0.1:${port}`, child, workspace);
    // bounded wait: 60 s for the server and its models to come up
    for (let attempt = 0; attempt < 240; attempt++) {
      if (child.exitCode !== null) {
        throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
      }
      const ready = await fetch(`${server.baseUrl}/v1/models`).then(
        (res) => res.ok,
        () => false,
      );
      if (ready) {
        return server;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await server.stop();
    throw new Error(`server did not answer within 60 s: ${stderr}`);
  }

  /** Sends 'reset' or 'report' to the probe and waits for its answer. */
  probe(message: 'reset' | 'report'): Promise<ProbeReport> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server probe did not answer')), 5000);
      this.child.once('message', (answer) => {
        clearTimeout(timer);
        resolve(answer as ProbeReport);
      });
      this.child.send(message);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      this.child.kill('SIGKILL');
    }
    rmSync(this.workspace, { recursive: true, force: true });
  }
}
