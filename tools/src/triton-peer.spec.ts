import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KServeClient } from '@aiaa/inference';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';

// The dev tool as people run it: `node tools/scripts/triton-peer.js`, a separate process serving a repository folder.
const ROOT = resolve(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'tools', 'scripts', 'triton-peer.js');

let work: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'triton-peer-tool-'));
  await mkdir(join(work, 'spleen', '1'), { recursive: true });
  await writeFile(join(work, 'spleen', '1', 'model.onnx'), buildThresholdSegmenter({ threshold: 1 }));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

afterEach(async () => {
  const running = child;
  child = undefined;
  if (running?.exitCode === null) {
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGTERM');
    await exited;
  }
});

/** Runs the tool and resolves with its output once it prints `listening on …` (or exits, or 30 s pass). */
function runTool(args: string[]): Promise<{ output: string; exitCode: number | null }> {
  const started = spawn(process.execPath, [SCRIPT, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let output = '';
  return new Promise((done) => {
    const timer = setTimeout(() => done({ output, exitCode: started.exitCode }), 30_000);
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/listening on \S+/.test(output)) {
        clearTimeout(timer);
        done({ output, exitCode: null });
      }
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    started.once('exit', (code) => {
      clearTimeout(timer);
      done({ output, exitCode: code });
    });
  });
}

describe('tools/scripts/triton-peer.js', () => {
  it('serves the repository’s models over KServe v2 on the port it prints', async () => {
    const { output } = await runTool(['--port', '0', '--repository', work, '--load-all']);
    expect(output).toContain('loaded: spleen');
    const address = /listening on (\S+)/.exec(output)?.[1];
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const client = new KServeClient({ address: address ?? '' });
    try {
      await expect(client.modelReady('spleen')).resolves.toBe(true);
      const result = await client.modelInfer({
        model: 'spleen',
        inputs: { INPUT__0: { dtype: 'float32', shape: [1, 1, 1, 1, 2], data: Float32Array.of(0, 3) } },
      });
      // channel 0 = 1 - x, channel 1 = x - 1
      expect(result.outputs['OUTPUT__0']?.data).toEqual(Float32Array.of(1, -2, -1, 2));
    } finally {
      client.close();
    }
  }, 60_000);

  it('refuses a bad port, naming the option', async () => {
    const { output, exitCode } = await runTool(['--port', 'eighty']);
    expect(exitCode).toBe(2);
    expect(output).toContain("--port: expected an integer in [0, 65535], got 'eighty'");
  }, 60_000);
});
