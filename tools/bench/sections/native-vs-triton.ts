import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { type ModelHandle, OnnxEngine, type Tensor, TritonEngine } from '@aiaa/inference';
import type { Report } from '../report';
import { timeRuns } from '../stats';
import { REPO_ROOT } from '../volumes';

/** Starts tools/src/triton-peer.ts (the KServe v2 stand-in) in its own process, on a free port. */
async function startPeer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', path.join(REPO_ROOT, 'tools/src/triton-peer.ts'), '--port', '0'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.base.json') },
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Triton peer did not start within 30 s')), 30_000);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on [^\s:]+:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Triton peer exited with ${code}`));
    });
  });
  return { child, port };
}

/**
 * 6. The same model and tensor on the native engine and through the Triton path (KServe v2 gRPC to the peer, which
 * runs onnxruntime too): the difference is what the gRPC path adds (encode, transport, decode).
 */
export async function benchNativeVsTriton(
  report: Report,
  modelFile: string,
  shape: number[],
  runs: number,
): Promise<void> {
  report.section(
    `6. Native engine vs Triton path (KServe v2 gRPC to the in-repo peer), input ${shape.join('×')} float32`,
  );
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    data[i] = (i % 997) / 997;
  }
  const native = new OnnxEngine();
  const { child, port } = await startPeer();
  let nativeHandle: ModelHandle | undefined;
  let tritonHandle: ModelHandle | undefined;
  const triton = await TritonEngine.create({ host: '127.0.0.1', port, deadlineMs: 300_000 });
  try {
    nativeHandle = await native.load({ name: 'bench_native', modelPath: modelFile });
    tritonHandle = await triton.load({ name: 'bench_triton', modelPath: modelFile });
    const input = nativeHandle.inputNames[0] ?? 'input';
    const feeds: Record<string, Tensor> = { [input]: { dtype: 'float32', shape, data } };
    const nativeHandleRef = nativeHandle;
    const tritonHandleRef = tritonHandle;
    const nativeTiming = await timeRuns(runs, () => nativeHandleRef.run(feeds));
    const tritonTiming = await timeRuns(runs, () => tritonHandleRef.run(feeds));
    report.add({
      section: '6',
      name: 'native (onnxruntime in-process) run',
      value: nativeTiming.medianMs,
      unit: 'ms',
      timing: nativeTiming,
    });
    report.add({
      section: '6',
      name: 'Triton path (gRPC to the peer) run',
      value: tritonTiming.medianMs,
      unit: 'ms',
      timing: tritonTiming,
    });
    report.add({
      section: '6',
      name: `gRPC path added cost (${((size * 4) / 1e6).toFixed(0)} MB in)`,
      value: tritonTiming.medianMs - nativeTiming.medianMs,
      unit: 'ms',
    });
    report.add({
      section: '6',
      name: 'Triton path / native',
      value: tritonTiming.medianMs / nativeTiming.medianMs,
      unit: '×',
    });
  } finally {
    await nativeHandle?.dispose();
    await tritonHandle?.dispose();
    await native.close();
    await triton.close();
    child.kill('SIGTERM');
  }
}
