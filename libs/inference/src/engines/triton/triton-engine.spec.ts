import {
  AiaaError,
  CancelledError,
  ConfigError,
  EngineUnavailableError,
  InvalidInputError,
  TimeoutError,
  TooLargeError,
} from '@aiaa/core';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelHandle, Tensor } from '../../engine';
import { buildIdentityModel, buildThresholdSegmenter } from '../../testing/model-builders/ready-models';
import { ModelConfig } from '../../model-config';
import { OnnxEngine } from '../onnx/onnx-engine';
import { parsePbtxt } from './config-pbtxt';
import { KServePeer } from './testing/kserve-peer';
import { TritonEngine, type TritonEngineOptions } from './triton-engine';

// A real KServe v2 peer on 127.0.0.1 (random port) running real onnxruntime sessions; the engine talks gRPC to it.
let work: string;
let repository: string;
let segmenterPath: string;
let peer: KServePeer;

const FAST = { retryDelayMs: 20, maxRetryDelayMs: 100 };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'triton-engine-'));
  repository = join(work, 'triton-models');
  await mkdir(repository);
  segmenterPath = join(work, 'segmenter.onnx');
  await writeFile(segmenterPath, buildThresholdSegmenter({ threshold: 1 }));
  peer = await KServePeer.start({ repository });
});

afterAll(async () => {
  await peer.close();
  await rm(work, { recursive: true, force: true });
});

beforeEach(() => {
  Object.assign(peer.faults, { delayMs: 0, unavailable: 0, garbage: undefined, notReady: false });
  peer.inferBatchSizes.length = 0;
});

async function engineFor(options: Partial<TritonEngineOptions> = {}): Promise<TritonEngine> {
  return TritonEngine.create({ host: peer.host, port: peer.port, modelRepository: repository, ...FAST, ...options });
}

/** `n` windows of 2×2×2 voxels with values 0, 0.5, …: window w, voxel v holds (w * 8 + v) / 2. */
function windows(n: number): Tensor<'float32'> {
  const data = new Float32Array(n * 8);
  for (let i = 0; i < data.length; i++) {
    data[i] = i / 2;
  }
  return { dtype: 'float32', shape: [n, 1, 2, 2, 2], data };
}

/** The same model run in-process by onnxruntime: the native reference the Triton path must reproduce. */
async function nativeRun(input: Tensor<'float32'>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(segmenterPath);
  try {
    const out = await session.run({ INPUT__0: new ort.Tensor('float32', input.data, [...input.shape]) });
    return out['OUTPUT__0']?.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('TritonEngine deployment to a shared model repository', () => {
  let engine: TritonEngine;
  let handle: ModelHandle;

  beforeAll(async () => {
    engine = await engineFor();
    handle = await engine.load({
      name: 'spleen',
      modelPath: segmenterPath,
      inputNames: ['INPUT__0'],
      outputNames: ['OUTPUT__0'],
    });
  });

  afterAll(async () => {
    await handle.dispose();
    await engine.close();
  });

  it('writes a config.pbtxt in Triton’s text format, auto-completed from the ONNX model', async () => {
    const text = await readFile(join(repository, 'spleen', 'config.pbtxt'), 'utf8');
    expect(text).toContain('name: "spleen"');
    expect(text).toContain('platform: "onnxruntime_onnx"');
    expect(text).toContain('max_batch_size: 4');
    expect(text).toContain('data_type: TYPE_FP32');
    expect(text).toContain('dims: [ 1, -1, -1, -1 ]');
    expect(parsePbtxt(text)).toEqual({
      name: 'spleen',
      platform: 'onnxruntime_onnx',
      max_batch_size: 4,
      input: [{ name: 'INPUT__0', data_type: 'TYPE_FP32', dims: [1, -1, -1, -1] }],
      output: [{ name: 'OUTPUT__0', data_type: 'TYPE_FP32', dims: [2, -1, -1, -1] }],
    });
  });

  it('writes the model bytes to <name>/1/model.onnx', async () => {
    const written = await readFile(join(repository, 'spleen', '1', 'model.onnx'));
    expect(written.equals(await readFile(segmenterPath))).toBe(true);
  });

  it('describes the served inputs and outputs with the batch dimension', () => {
    expect(handle.inputNames).toEqual(['INPUT__0']);
    expect(handle.outputNames).toEqual(['OUTPUT__0']);
    expect(handle.inputs).toEqual([{ name: 'INPUT__0', dtype: 'float32', shape: [-1, 1, -1, -1, -1] }]);
    expect(handle.outputs).toEqual([{ name: 'OUTPUT__0', dtype: 'float32', shape: [-1, 2, -1, -1, -1] }]);
  });

  it('splits 10 windows over max_batch_size 4 and gives what onnxruntime gives in-process', async () => {
    const input = windows(10);
    const out = await handle.run({ INPUT__0: input });
    expect(peer.inferBatchSizes).toEqual([4, 4, 2]);
    expect(out['OUTPUT__0']?.shape).toEqual([10, 2, 2, 2, 2]);
    expect(out['OUTPUT__0']?.data).toEqual(await nativeRun(input));
    // Hand-computed for window 9, voxel 7: x = (9 * 8 + 7) / 2 = 39.5; channels 1 - x and x - 1.
    const data = out['OUTPUT__0']?.data as Float32Array;
    expect(data[9 * 16 + 7]).toBe(-38.5);
    expect(data[9 * 16 + 8 + 7]).toBe(38.5);
  });

  it('gives the same masks as the native engine for the same model and windows', async () => {
    const native = new OnnxEngine();
    try {
      const nativeHandle = await native.load({ name: 'spleen', modelPath: segmenterPath });
      const input = windows(6);
      const viaTriton = await handle.run({ INPUT__0: input });
      const inProcess = await nativeHandle.run({ INPUT__0: input });
      expect(viaTriton).toEqual(inProcess);
      // The mask: argmax over the two channels, voxel by voxel (foreground where x - 1 > 1 - x).
      const masks = (out: Tensor): number[] => {
        const data = out.data as Float32Array;
        const mask: number[] = [];
        for (let w = 0; w < 6; w++) {
          for (let v = 0; v < 8; v++) {
            mask.push(data[w * 16 + 8 + v]! > data[w * 16 + v]! ? 1 : 0);
          }
        }
        return mask;
      };
      const expected = Array.from(input.data, (x) => (x > 1 ? 1 : 0));
      expect(masks(viaTriton['OUTPUT__0']!)).toEqual(expected);
      expect(masks(inProcess['OUTPUT__0']!)).toEqual(expected);
      await nativeHandle.dispose();
    } finally {
      await native.close();
    }
  });

  it('sends a batch within max_batch_size as one request', async () => {
    await handle.run({ INPUT__0: windows(3) });
    expect(peer.inferBatchSizes).toEqual([3]);
  });

  it('reports the repository’s models with their states', async () => {
    const states = await engine.modelStates();
    expect(states.find((m) => m.name === 'spleen')).toEqual({
      name: 'spleen',
      version: '1',
      state: 'READY',
      reason: '',
    });
  });

  it('deploys one model from several loaders at once, as a model’s pipeline workers do', async () => {
    const loaders = await Promise.all([engineFor(), engineFor(), engineFor(), engineFor()]);
    try {
      const handles = await Promise.all(
        loaders.map((loader) => loader.load({ name: 'spleen_twice', modelPath: segmenterPath })),
      );
      await Promise.all(handles.map((h) => h.dispose()));
      const written = await readFile(join(repository, 'spleen_twice', '1', 'model.onnx'));
      expect(written.equals(await readFile(segmenterPath))).toBe(true);
      // No temp file of any loader is left beside the model.
      expect((await readdir(join(repository, 'spleen_twice', '1'))).sort()).toEqual(['model.onnx']);
      await loaders[0]!.unload('spleen_twice');
    } finally {
      await Promise.all(loaders.map((loader) => loader.close()));
    }
  });

  it('unloads and removes the model folder', async () => {
    const other = await engine.load({ name: 'spleen_copy', modelPath: segmenterPath });
    await other.dispose();
    await engine.unload('spleen_copy');
    await expect(engine.client.modelReady('spleen_copy')).resolves.toBe(false);
    await expect(stat(join(repository, 'spleen_copy'))).rejects.toThrow(/ENOENT/);
  });
});

describe('TritonEngine deployment with a triton_model_config section', () => {
  it('renders the section into config.pbtxt and splits over its max_batch_size', async () => {
    const engine = await engineFor();
    try {
      const handle = await engine.load({
        name: 'spleen_cpu',
        modelPath: segmenterPath,
        deployConfig: {
          max_batch_size: 2,
          input: [{ name: 'INPUT__0', data_type: 'TYPE_FP32', dims: [1, -1, -1, -1] }],
          output: [{ name: 'OUTPUT__0', data_type: 'TYPE_FP32', dims: [2, -1, -1, -1] }],
          instance_group: [{ kind: 'KIND_CPU', count: 2 }],
        },
      });
      const config = parsePbtxt(await readFile(join(repository, 'spleen_cpu', 'config.pbtxt'), 'utf8'));
      expect(config).toMatchObject({ name: 'spleen_cpu', max_batch_size: 2 });
      expect(config['instance_group']).toEqual([{ kind: 'KIND_CPU', count: 2 }]);
      const input = windows(5);
      const out = await handle.run({ INPUT__0: input });
      expect(peer.inferBatchSizes).toEqual([2, 2, 1]);
      expect(out['OUTPUT__0']?.data).toEqual(await nativeRun(input));
    } finally {
      await engine.close();
    }
  });
});

describe('TritonEngine deployment of AIAA config files', () => {
  async function sectionOf(fixture: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    const json: unknown = JSON.parse(
      await readFile(join(__dirname, '../../../test/fixtures/configs', fixture), 'utf8'),
    );
    return ModelConfig.parse(json, { engine: 'TRITON', name: 'fixture' }).tritonModelConfig();
  }

  it('turns a v3 trtis section into an ONNX config: max_batch_size kept, GPU instances as an instance group', async () => {
    const engine = await engineFor();
    try {
      const handle = await engine.load({
        name: 'v3_spleen',
        modelPath: segmenterPath,
        deployConfig: await sectionOf('v3-segmentation-spleen.json'),
      });
      const config = parsePbtxt(await readFile(join(repository, 'v3_spleen', 'config.pbtxt'), 'utf8'));
      expect(config).toEqual({
        name: 'v3_spleen',
        platform: 'onnxruntime_onnx',
        max_batch_size: 8,
        input: [{ name: 'INPUT__0', data_type: 'TYPE_FP32', dims: [1, -1, -1, -1] }],
        output: [{ name: 'OUTPUT__0', data_type: 'TYPE_FP32', dims: [2, -1, -1, -1] }],
        instance_group: [{ count: 1 }],
      });
      const input = windows(9);
      const out = await handle.run({ INPUT__0: input });
      expect(peer.inferBatchSizes).toEqual([8, 1]);
      expect(out['OUTPUT__0']?.data).toEqual(await nativeRun(input));
    } finally {
      await engine.close();
    }
  });

  it('deploys a v4 triton_model_config as ONNX with its fixed dims, and Triton reports them', async () => {
    const engine = await engineFor({ modelRepository: undefined });
    try {
      const handle = await engine.load({
        name: 'v4_spleen',
        modelPath: segmenterPath,
        deployConfig: await sectionOf('v4-segmentation-spleen.json'),
      });
      expect(handle.inputs).toEqual([{ name: 'INPUT__0', dtype: 'float32', shape: [-1, 1, 160, 160, 160] }]);
      expect(handle.outputs).toEqual([{ name: 'OUTPUT__0', dtype: 'float32', shape: [-1, 2, 160, 160, 160] }]);
      const config = await engine.client.modelConfig('v4_spleen');
      expect(config).toMatchObject({ platform: 'onnxruntime_onnx', max_batch_size: 1 });
    } finally {
      await engine.close();
    }
  });
});

describe('TritonEngine push deployment (no shared filesystem)', () => {
  it('sends config and model bytes in the load request and writes nothing', async () => {
    const engine = await engineFor({ modelRepository: undefined });
    try {
      const handle = await engine.load({ name: 'pushed', modelPath: segmenterPath });
      await expect(stat(join(repository, 'pushed'))).rejects.toThrow(/ENOENT/);
      const input = windows(1);
      const out = await handle.run({ INPUT__0: input });
      expect(out['OUTPUT__0']?.data).toEqual(await nativeRun(input));
      const config = await engine.client.modelConfig('pushed');
      expect(config.max_batch_size).toBe(4);
    } finally {
      await engine.close();
    }
  });
});

describe('TritonEngine failures', () => {
  let engine: TritonEngine;
  let handle: ModelHandle;

  beforeAll(async () => {
    engine = await engineFor({ deadlineMs: 1000, retries: 4 });
    handle = await engine.load({ name: 'faults', modelPath: segmenterPath });
  });

  afterAll(async () => {
    await engine.close();
  });

  it('gives TimeoutError when Triton answers after the request deadline', async () => {
    peer.faults.delayMs = 1500;
    const error = await handle.run({ INPUT__0: windows(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("ModelInfer 'faults' did not answer within the 1000 ms deadline");
  });

  it('gives CancelledError when the caller aborts', async () => {
    peer.faults.delayMs = 150;
    const controller = new AbortController();
    const pending = handle.run({ INPUT__0: windows(1) }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it('stops sending the rest of a split batch once the caller aborts', async () => {
    peer.faults.delayMs = 100;
    const controller = new AbortController();
    const small = await engineFor({ maxConcurrentRequests: 1 });
    try {
      const handle = await small.load({ name: 'faults_serial', modelPath: segmenterPath });
      const pending = handle.run({ INPUT__0: windows(12) }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 150);
      await expect(pending).rejects.toBeInstanceOf(CancelledError);
      // 12 windows are 3 requests of 4; the abort lands during the second, the third is never sent. (A cancelled
      // single-window call of an earlier test may still arrive late: count only this run's requests of 4.)
      expect(peer.inferBatchSizes.filter((n) => n === 4).length).toBeLessThan(3);
    } finally {
      await small.close();
    }
  });

  it('rides out UNAVAILABLE within its retries', async () => {
    peer.faults.unavailable = 2;
    const out = await handle.run({ INPUT__0: windows(1) });
    expect(out['OUTPUT__0']?.shape).toEqual([1, 2, 2, 2, 2]);
  });

  it('is unavailable while Triton is down, says so in status, and recovers when it returns', async () => {
    peer.stop();
    try {
      const error = await handle.run({ INPUT__0: windows(1) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message).toContain(`Triton at ${peer.address}`);
      await expect(engine.modelStates()).rejects.toBeInstanceOf(EngineUnavailableError);
      const down = await engine.status();
      expect(down).toMatchObject({ address: peer.address, live: false, ready: false });
      expect(down.detail).toContain('unavailable');
    } finally {
      await peer.restart();
    }
    const input = windows(2);
    const out = await handle.run({ INPUT__0: input });
    expect(out['OUTPUT__0']?.data).toEqual(await nativeRun(input));
    await expect(engine.status()).resolves.toEqual({ address: peer.address, live: true, ready: true });
  });

  it('gives TimeoutError naming the model when it is not ready within the load timeout, and rolls it back', async () => {
    const slow = await engineFor({ loadTimeoutMs: 300 });
    try {
      peer.faults.notReady = true;
      const error = await slow.load({ name: 'stuck', modelPath: segmenterPath }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toContain("model 'stuck' was not ready within 300 ms");
      expect(peer.loadedModels).not.toContain('stuck');
      await expect(stat(join(repository, 'stuck'))).rejects.toThrow(/ENOENT/);
    } finally {
      await slow.close();
    }
  });

  it('rejects a wrong-shaped answer as internal, naming the output', async () => {
    peer.faults.garbage = 'shape';
    const error = await handle.run({ INPUT__0: windows(1) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'internal' });
    expect((error as Error).message).toContain("output 'OUTPUT__0'");
  });
});

describe('TritonEngine bad input', () => {
  let engine: TritonEngine;

  beforeAll(async () => {
    engine = await engineFor();
  });

  afterAll(async () => {
    await engine.close();
  });

  it('refuses a model name that is not a folder name, naming the field', async () => {
    const error = await engine.load({ name: '../escape', modelPath: segmenterPath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^name: '\.\.\/escape'/);
  });

  it('refuses an unreadable model file, naming it but not the server path', async () => {
    const missing = join(work, 'missing.onnx');
    const error = await engine.load({ name: 'missing', modelPath: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiaaError);
    expect((error as AiaaError).kind).toBe('invalid-input');
    expect((error as Error).message).toBe("model 'missing': model file missing.onnx: not found");
  });

  it('refuses a file that is not ONNX, naming the model', async () => {
    const notOnnx = join(work, 'not-a-model.onnx');
    await writeFile(notOnnx, 'not a model');
    const error = await engine.load({ name: 'garbage', modelPath: notOnnx }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain("model 'garbage'");
  });

  it('refuses a bad triton_model_config field, naming its path', async () => {
    const error = await engine
      .load({ name: 'bad_section', modelPath: segmenterPath, deployConfig: { max_batch_size: 'four' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('triton_model_config.max_batch_size');
  });

  it('refuses a bad v3 gpu_instance_count, naming the field', async () => {
    const error = await engine
      .load({ name: 'bad_v3', modelPath: segmenterPath, deployConfig: { gpu_instance_count: 0 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('trtis.gpu_instance_count');
  });

  it('refuses a config whose input names Triton does not serve, naming the input', async () => {
    const error = await engine
      .load({ name: 'renamed', modelPath: segmenterPath, inputNames: ['image'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      "model 'renamed' input 'image': named by the config but Triton serves only INPUT__0",
    );
    // Rolled back: not left serving, folder gone.
    await expect(engine.client.modelReady('renamed')).resolves.toBe(false);
    await expect(stat(join(repository, 'renamed'))).rejects.toThrow(/ENOENT/);
  });

  it('passes on Triton’s refusal of a section whose datatype the model lacks, naming the input', async () => {
    const error = await engine
      .load({
        name: 'wrong_type',
        modelPath: segmenterPath,
        deployConfig: { input: [{ name: 'INPUT__0', data_type: 'TYPE_FP16', dims: [1, -1, -1, -1] }] },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid-input' });
    expect((error as Error).message).toContain("input 'INPUT__0'");
  });

  it('refuses a run without a required input, naming it', async () => {
    const handle = await engine.load({ name: 'identity_feeds', modelPath: segmenterPath });
    const error = await handle.run({ image: windows(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain("input 'INPUT__0' missing");
  });

  it('refuses a request over gRPC’s 2 GiB message limit, naming the input', async () => {
    const identityPath = join(work, 'identity.onnx');
    await writeFile(identityPath, buildIdentityModel({ dtype: 'uint8' }));
    const handle = await engine.load({
      name: 'identity_huge',
      modelPath: identityPath,
      deployConfig: { max_batch_size: 0 },
    });
    // A stand-in for a 3 GiB volume: only its sizes are read before the request is refused.
    const huge = { dtype: 'uint8', shape: [1, 3 * 2 ** 30], data: { length: 3 * 2 ** 30, byteLength: 3 * 2 ** 30 } };
    const error = await handle.run({ INPUT__0: huge as any }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooLargeError);
    expect((error as Error).message).toContain("input 'INPUT__0' needs 3221225472 bytes");
  });

  it('refuses a run whose fixed output shape exceeds gRPC’s 2 GiB message limit, naming the output', async () => {
    const handle = await engine.load({
      name: 'huge_output',
      modelPath: segmenterPath,
      deployConfig: {
        max_batch_size: 2,
        output: [{ name: 'OUTPUT__0', data_type: 'TYPE_FP32', dims: [2, 512, 512, 600] }],
      },
    });
    const before = peer.calls['ModelInfer'] ?? 0;
    const error = await handle.run({ INPUT__0: windows(2) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooLargeError);
    // 2 items × 2 × 512 × 512 × 600 × 4 bytes
    expect((error as Error).message).toContain("output 'OUTPUT__0' needs 2516582400 bytes per request");
    expect(peer.calls['ModelInfer'] ?? 0).toBe(before);
  });

  it('refuses out-of-range options, naming them', async () => {
    await expect(TritonEngine.create({ host: '127.0.0.1', port: 0 })).rejects.toThrow(/^triton_port:/);
    await expect(TritonEngine.create({ host: ' ', port: 8001 })).rejects.toThrow(/^triton_ip:/);
    await expect(TritonEngine.create({ host: '127.0.0.1', port: 8001, deadlineMs: 0 })).rejects.toThrow(/^deadlineMs:/);
  });
});
