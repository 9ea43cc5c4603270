import { AiaaError, CancelledError, InvalidInputError } from '@aiaa/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelHandle, Tensor, TensorDType } from '../../engine';
import {
  buildIdentityModel,
  buildInvertModel,
  buildThresholdSegmenter,
} from '../../testing/model-builders/ready-models';
import { ModelLoadError, OnnxEngine } from './onnx-engine';

// Real onnxruntime sessions over real .onnx files in a temp folder.
let dir: string;
let engine: OnnxEngine;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onnx-engine-'));
  engine = new OnnxEngine({ intraOpNumThreads: 1, interOpNumThreads: 1 });
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

async function modelFile(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, `${name}.onnx`);
  await writeFile(path, bytes);
  return path;
}

/** Elements as an array (BigInt64Array included). */
function values(tensor: Tensor | undefined): unknown[] {
  return tensor ? Array.from(tensor.data as ArrayLike<unknown>) : [];
}

const THRESHOLD_INPUT: Tensor<'float32'> = {
  dtype: 'float32',
  shape: [1, 1, 1, 2, 2],
  data: Float32Array.of(0, 1, 0.25, 0.75),
};

describe('OnnxEngine', () => {
  it('loads a model, describes its tensors and runs it', async () => {
    const modelPath = await modelFile('threshold', buildThresholdSegmenter({ threshold: 0.5, inputName: 'image' }));
    const handle = await engine.load({ name: 'spleen', modelPath, inputNames: ['image'], outputNames: ['OUTPUT__0'] });
    expect(handle.inputNames).toEqual(['image']);
    expect(handle.outputNames).toEqual(['OUTPUT__0']);
    expect(handle.inputs).toEqual([{ name: 'image', dtype: 'float32', shape: ['N', 1, 'D', 'H', 'W'] }]);
    expect(handle.outputs).toEqual([{ name: 'OUTPUT__0', dtype: 'float32', shape: ['N', 2, 'D', 'H', 'W'] }]);
    const out = await handle.run({ image: THRESHOLD_INPUT });
    expect(out['OUTPUT__0']?.dtype).toBe('float32');
    expect(out['OUTPUT__0']?.shape).toEqual([1, 2, 1, 2, 2]);
    expect(values(out['OUTPUT__0'])).toEqual([0.5, -0.5, 0.25, -0.25, -0.5, 0.5, -0.25, 0.25]);
    await handle.dispose();
  });

  it.each<[TensorDType, Tensor['data'], unknown[]]>([
    ['float32', Float32Array.of(1.5, -2), [-1.5, 2]],
    ['float64', Float64Array.of(1e300, -0.25), [-1e300, 0.25]],
    ['int8', Int8Array.of(127, -5), [-127, 5]],
    ['int16', Int16Array.of(300, -7), [-300, 7]],
    ['int32', Int32Array.of(70000, -1), [-70000, 1]],
    ['int64', BigInt64Array.of(2n ** 40n, -3n), [-(2n ** 40n), 3n]],
    ['bool', Uint8Array.of(1, 0), [0, 1]],
    // IEEE half bits: 0x3c00 = 1.0 → 0xbc00 = -1.0; 0xc000 = -2.0 → 0x4000 = 2.0.
    ['float16', Uint16Array.of(0x3c00, 0xc000), [0xbc00, 0x4000]],
  ])('carries %s tensors both ways', async (dtype, data, expected) => {
    const modelPath = await modelFile(`neg-${dtype}`, buildInvertModel({ dtype }));
    const handle = await engine.load({ name: `neg-${dtype}`, modelPath });
    expect(handle.inputs[0]?.dtype).toBe(dtype);
    const out = (await handle.run({ INPUT__0: { dtype, shape: [1, 2], data } as Tensor }))['OUTPUT__0'];
    expect(out?.dtype).toBe(dtype);
    expect(out?.data.constructor).toBe(data.constructor);
    expect(values(out)).toEqual(expected);
    await handle.dispose();
  });

  it.each<[TensorDType, Tensor['data']]>([
    ['uint8', Uint8Array.of(0, 255)],
    ['uint16', Uint16Array.of(0, 65535)],
    ['uint32', Uint32Array.of(0, 4294967295)],
  ])('carries %s tensors unchanged', async (dtype, data) => {
    const modelPath = await modelFile(`id-${dtype}`, buildIdentityModel({ dtype }));
    const handle = await engine.load({ name: `id-${dtype}`, modelPath });
    const out = (await handle.run({ INPUT__0: { dtype, shape: [1, 2], data } as Tensor }))['OUTPUT__0'];
    expect(out?.dtype).toBe(dtype);
    expect(values(out)).toEqual(Array.from(data as ArrayLike<unknown>));
    await handle.dispose();
  });

  it('disposes idempotently and refuses runs afterwards', async () => {
    const modelPath = await modelFile('dispose', buildThresholdSegmenter({ threshold: 0 }));
    const handle = await engine.load({ name: 'dispose', modelPath });
    await handle.dispose();
    await handle.dispose();
    await expect(handle.run({ INPUT__0: THRESHOLD_INPUT })).rejects.toThrow(/model 'dispose' was disposed/);
  });

  it('disposes the handles it loaded on close', async () => {
    const own = new OnnxEngine();
    const modelPath = await modelFile('close', buildThresholdSegmenter({ threshold: 0 }));
    const handle = await own.load({ name: 'close', modelPath });
    await own.close();
    await expect(handle.run({ INPUT__0: THRESHOLD_INPUT })).rejects.toThrow(AiaaError);
  });
});

describe('OnnxEngine cancellation', () => {
  let handle: ModelHandle;
  beforeAll(async () => {
    const modelPath = await modelFile('cancel', buildThresholdSegmenter({ threshold: 0 }));
    handle = await engine.load({ name: 'cancel', modelPath });
  });
  afterAll(() => handle.dispose());

  it('rejects a run whose signal is already aborted', async () => {
    const signal = AbortSignal.abort();
    await expect(handle.run({ INPUT__0: THRESHOLD_INPUT }, { signal })).rejects.toThrow(CancelledError);
  });

  it('rejects a run aborted while onnxruntime works', async () => {
    const controller = new AbortController();
    const pending = handle.run({ INPUT__0: THRESHOLD_INPUT }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow(/model 'cancel': run cancelled/);
  });
});

describe('OnnxEngine with bad models', () => {
  it('rejects corrupt bytes, naming the model and file', async () => {
    const modelPath = await modelFile('corrupt', Buffer.from('this is not a protobuf model at all'));
    const error = await engine.load({ name: 'liver', modelPath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).kind).toBe('invalid-input');
    expect((error as Error).message).toMatch(
      /^model 'liver' \(corrupt\.onnx\): not a loadable ONNX model \(35 bytes\): /,
    );
  });

  it('rejects a missing file, naming it but not its folder', async () => {
    const refusal = engine.load({ name: 'gone', modelPath: join(dir, 'missing.onnx') });
    await expect(refusal).rejects.toThrow("model 'gone': model file missing.onnx: not found");
    await expect(refusal).rejects.not.toThrow(dir);
  });

  it('rejects a configured input name the model lacks, listing the real ones', async () => {
    const modelPath = await modelFile('names', buildThresholdSegmenter({ threshold: 0, inputName: 'image' }));
    await expect(engine.load({ name: 'spleen', modelPath, inputNames: ['NV_MODEL_INPUT'] })).rejects.toThrow(
      "model 'spleen' (names.onnx): configured input 'NV_MODEL_INPUT' not in the model (inputs: image)",
    );
  });

  it('rejects a configured output name the model lacks', async () => {
    const modelPath = await modelFile('names-out', buildThresholdSegmenter({ threshold: 0 }));
    await expect(engine.load({ name: 'spleen', modelPath, outputNames: ['pred'] })).rejects.toThrow(
      /configured output 'pred' not in the model \(outputs: OUTPUT__0\)/,
    );
  });
});

describe('OnnxEngine with bad feeds', () => {
  let handle: ModelHandle;
  beforeAll(async () => {
    const modelPath = await modelFile('feeds', buildThresholdSegmenter({ threshold: 0 }));
    handle = await engine.load({ name: 'feeds', modelPath });
  });
  afterAll(() => handle.dispose());

  it('rejects a missing input', async () => {
    await expect(handle.run({})).rejects.toThrow(new InvalidInputError("model 'feeds': input 'INPUT__0' is missing"));
  });

  it('rejects an unknown input', async () => {
    await expect(handle.run({ INPUT__0: THRESHOLD_INPUT, extra: THRESHOLD_INPUT })).rejects.toThrow(
      "model 'feeds': no input 'extra' (inputs: INPUT__0)",
    );
  });

  it('rejects a wrong dtype', async () => {
    const feed: Tensor = { dtype: 'float64', shape: [1, 1, 1, 1, 1], data: Float64Array.of(1) };
    await expect(handle.run({ INPUT__0: feed })).rejects.toThrow(
      "model 'feeds': input 'INPUT__0' got float64, expected float32",
    );
  });

  it('rejects data that does not fill the shape', async () => {
    const feed: Tensor = { dtype: 'float32', shape: [1, 1, 2, 2, 2], data: new Float32Array(7) };
    await expect(handle.run({ INPUT__0: feed })).rejects.toThrow(
      "model 'feeds': input 'INPUT__0' has 7 values but shape [1, 1, 2, 2, 2] holds 8",
    );
  });

  it('rejects a wrong rank or fixed dimension', async () => {
    const rank: Tensor = { dtype: 'float32', shape: [1, 2, 2], data: new Float32Array(4) };
    await expect(handle.run({ INPUT__0: rank })).rejects.toThrow(
      "model 'feeds': input 'INPUT__0' got shape [1, 2, 2], expected [N, 1, D, H, W]",
    );
    const channels: Tensor = { dtype: 'float32', shape: [1, 2, 1, 1, 1], data: new Float32Array(2) };
    await expect(handle.run({ INPUT__0: channels })).rejects.toThrow(InvalidInputError);
  });
});
