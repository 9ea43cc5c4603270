import {
  CancelledError,
  ConfigError,
  InvalidInputError,
  TransformContext,
  identityMat4,
  scalingAffine,
} from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InferenceEngine } from '../engine';
import { createEngine } from '../engines';
import { ModelConfig } from '../model-config';
import {
  buildIdentityModel,
  buildSmoothingConv,
  buildThresholdSegmenter,
} from '../testing/model-builders/ready-models';
import { NativeInference } from './native-inference';
import { KServePeer } from '../engines/triton/testing/kserve-peer';
import { ModelLoadError } from '../engines/onnx/onnx-engine';

// Real onnxruntime sessions through the engine list, on models written to a temp folder.
let dir: string;
let thresholdPath: string;
let convPath: string;
let engine: InferenceEngine;
beforeAll(async () => {
  engine = await createEngine('AIAA', { onnx: { intraOpNumThreads: 1 } });
  dir = await mkdtemp(join(tmpdir(), 'native-inference-'));
  thresholdPath = join(dir, 'threshold.onnx');
  convPath = join(dir, 'conv.onnx');
  await writeFile(thresholdPath, buildThresholdSegmenter({ threshold: 0.5, inputName: 'image', outputName: 'logits' }));
  await writeFile(
    join(dir, 'v3.onnx'),
    buildThresholdSegmenter({ threshold: 2, inputName: 'NV_MODEL_INPUT', outputName: 'NV_MODEL_OUTPUT' }),
  );
  await writeFile(convPath, buildSmoothingConv());
  await writeFile(join(dir, 'planar.onnx'), buildThresholdSegmenter({ threshold: 0.5, spatialDims: 2 }));
  await writeFile(join(dir, 'batch1.onnx'), buildThresholdSegmenter({ threshold: 0.5, batch: 1 }));
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

function v4Config(modelPath: string, args: Record<string, unknown> = {}): ModelConfig {
  return ModelConfig.parse(
    { type: 'segmentation', labels: ['spleen'], inference: { input: 'image', output: 'pred', AIAA: { args } } },
    { engine: 'AIAA', modelPath, name: 'spleen' },
  );
}

// x over a 1×2×3 volume: thresholded at 0.5 the logits are [0.5 − x] and [x − 0.5].
const X = Float32Array.of(0, 0.25, 0.5, 0.75, 1, 2);
const BACKGROUND = [0.5, 0.25, 0, -0.25, -0.5, -1.5];
const FOREGROUND = [-0.5, -0.25, 0, 0.25, 0.5, 1.5];

describe('NativeInference', () => {
  it('runs the whole volume and stores a CDHW output on the input grid', async () => {
    const config = v4Config(thresholdPath);
    const inference = await NativeInference.create({ engine, config });
    const affine = scalingAffine([0.8, 0.8, 2.5]);
    const ctx = new TransformContext({ images: [['image', makeImage(X, [1, 2, 3], 'DHW', affine)]] });
    const before = { spatialShape: [1, 2, 3], affine: identityMat4(), shapeFormat: 'DHW' as const };
    ctx.recordGeometry('image', { kind: 'resample', before });
    expect(await inference.inference('spleen', ctx, config)).toBe(ctx);
    const pred = ctx.getImage('pred');
    expect(pred.shapeFormat).toBe('CDHW');
    expect(pred.shape).toEqual([2, 1, 2, 3]);
    expect(Array.from(pred.voxels)).toEqual([...BACKGROUND, ...FOREGROUND]);
    expect(pred.affine).toEqual(affine);
    expect(ctx.geometryHistory('pred').steps).toEqual([{ kind: 'resample', before }]);
    await inference.close();
  });

  it('takes a CDHW input and v3 names (tf nodes, inference.image, output model), scanning in windows', async () => {
    const config = ModelConfig.parse(
      {
        version: '3',
        type: 'segmentation',
        inference: {
          image: 'image',
          scanning_window: true,
          roi: [1, 2, 2],
          batch_size: 2,
          tf: { input_nodes: { image: 'NV_MODEL_INPUT' }, output_nodes: { model: 'NV_MODEL_OUTPUT' } },
        },
      },
      { engine: 'AIAA', modelPath: join(dir, 'v3.onnx'), name: 'v3' },
    );
    const inference = await NativeInference.create({ engine, config });
    const ctx = new TransformContext({ images: [['image', makeImage(X, [1, 1, 2, 3], 'CDHW')]] });
    await inference.inference('v3', ctx, config);
    const model = ctx.getImage('model');
    expect(model.shape).toEqual([2, 1, 2, 3]);
    // Threshold 2: background 2 − x, foreground x − 2; a pointwise model is unchanged by windowing.
    expect(Array.from(model.voxels)).toEqual([...Array.from(X, (x) => 2 - x), ...Array.from(X, (x) => x - 2)]);
    await inference.close();
  });

  it('blends windows of a conv model as slidingWindowInference does', async () => {
    const config = v4Config(convPath, { scanning_window: true, roi: [2, 2, 2], overlap: 0.5, mode: 'gaussian' });
    const inference = await NativeInference.create({ engine, config });
    // A constant image: every window of the box filter sees the same interior value 1 × (neighbours in window) / 27.
    const ctx = new TransformContext({ images: [['image', makeImage(new Float32Array(27).fill(27), [3, 3, 3])]] });
    await inference.inference('spleen', ctx, config);
    // Windows of 2 over 3 voxels start at 0 and 1; in a 2×2×2 window every voxel has 8 neighbours inside.
    expect(Array.from(ctx.getImage('pred').voxels)).toEqual(new Array(27).fill(8));
    await inference.close();
  });

  it('runs a 2-D model on a CHW image, whole and in windows, storing CHW', async () => {
    for (const args of [{}, { scanning_window: true, roi: [1, 2], batch_size: 2 }]) {
      const config = v4Config(join(dir, 'planar.onnx'), args);
      const inference = await NativeInference.create({ engine, config });
      const ctx = new TransformContext({ images: [['image', makeImage(X, [1, 2, 3], 'CHW')]] });
      await inference.inference('spleen', ctx, config);
      const pred = ctx.getImage('pred');
      expect(pred.shapeFormat).toBe('CHW');
      expect(pred.shape).toEqual([2, 2, 3]);
      expect(Array.from(pred.voxels)).toEqual([...BACKGROUND, ...FOREGROUND]);
      await inference.close();
    }
  });

  it('sends one window per call to a model whose batch axis is fixed at 1', async () => {
    const config = v4Config(join(dir, 'batch1.onnx'), { scanning_window: true, roi: [1, 1, 2], batch_size: 4 });
    const inference = await NativeInference.create({ engine, config });
    const ctx = new TransformContext({ images: [['image', makeImage(X, [1, 2, 3])]] });
    await inference.inference('spleen', ctx, config);
    expect(Array.from(ctx.getImage('pred').voxels)).toEqual([...BACKGROUND, ...FOREGROUND]);
    await inference.close();
  });

  it("sends no more windows per call than the engine's batch budget allows", async () => {
    // Two 1×1×2 float32 windows (16 bytes) per run, whatever batch_size says; the runs are watched on their way in.
    const budgeted = await createEngine('AIAA', { onnx: { intraOpNumThreads: 1, batchBudgetBytes: 16 } });
    const batches: number[] = [];
    const watched: InferenceEngine = {
      name: budgeted.name,
      load: async (spec) => {
        const handle = await budgeted.load(spec);
        return {
          inputNames: handle.inputNames,
          outputNames: handle.outputNames,
          inputs: handle.inputs,
          outputs: handle.outputs,
          batchBudgetBytes: handle.batchBudgetBytes,
          run: (feeds, options) => {
            batches.push(Object.values(feeds)[0]?.shape[0] ?? 0);
            return handle.run(feeds, options);
          },
          dispose: () => handle.dispose(),
        };
      },
      close: () => budgeted.close(),
    };
    const config = v4Config(thresholdPath, { scanning_window: true, roi: [1, 1, 2], overlap: 0, batch_size: 4 });
    const inference = await NativeInference.create({ engine: watched, config });
    const ctx = new TransformContext({ images: [['image', makeImage(X, [1, 2, 3])]] });
    await inference.inference('spleen', ctx, config);
    // Windows of 2 over widths of 3 start at 0 and 1, on each of the 2 rows: four windows, run two at a time.
    expect(batches).toEqual([2, 2]);
    expect(Array.from(ctx.getImage('pred').voxels)).toEqual([...BACKGROUND, ...FOREGROUND]);
    await inference.close();
    await watched.close();
  });

  it.each([
    ['float16', [0.5, -2, 1024, 3], [0.5, -2, 1024, 3], Float32Array],
    ['int64', [1.4, -2, 7, 300], [1, -2, 7, 300], Int32Array],
    ['bool', [0, 2, -1, 0], [0, 1, 1, 0], Uint8Array],
  ] as const)('feeds a %s model from float32 voxels, whole and in windows', async (dtype, values, expected, type) => {
    const path = join(dir, `identity-${dtype}.onnx`);
    await writeFile(path, buildIdentityModel({ dtype, shape: ['N', 1, 'D', 'H', 'W'] }));
    for (const args of [{}, { scanning_window: true, roi: [1, 1, 3], overlap: 0.5 }]) {
      const config = v4Config(path, args);
      const inference = await NativeInference.create({ engine, config });
      const ctx = new TransformContext({ images: [['image', makeImage(Float32Array.from(values), [1, 1, 4])]] });
      await inference.inference('spleen', ctx, config);
      const pred = ctx.getImage('pred');
      expect(Array.from(pred.voxels)).toEqual(expected);
      // Windows are blended in float32, whatever the model's type.
      expect(pred.voxels).toBeInstanceOf('scanning_window' in args ? Float32Array : type);
      await inference.close();
    }
  });

  it('stops with CancelledError when the request is cancelled, whole or in windows', async () => {
    for (const args of [{}, { scanning_window: true, roi: [1, 1, 1] }]) {
      const config = v4Config(thresholdPath, args);
      const inference = await NativeInference.create({ engine, config });
      const ctx = new TransformContext({ images: [['image', makeImage(X, [1, 2, 3])]], signal: AbortSignal.abort() });
      await expect(inference.inference('spleen', ctx, config)).rejects.toThrow(CancelledError);
      expect(ctx.hasImage('pred')).toBe(false);
      await inference.close();
    }
  });

  it('refuses to run after close', async () => {
    const config = v4Config(thresholdPath);
    const inference = await NativeInference.create({ engine, config });
    await inference.close();
    const ctx = new TransformContext({ images: [['image', makeImage(X, [1, 2, 3])]] });
    await expect(inference.inference('spleen', ctx, config)).rejects.toThrow(/disposed/);
  });
});

describe('NativeInference with bad input', () => {
  it('rejects a channels-last image, naming its format', async () => {
    const config = v4Config(thresholdPath);
    const inference = await NativeInference.create({ engine, config });
    const ctx = new TransformContext({ images: [['image', makeImage(new Float32Array(4), [2, 2, 1], 'HWC')]] });
    const error = await inference.inference('spleen', ctx, config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(/image 'image' has format HWC; the model takes DHW, CDHW, HW or CHW/);
    await inference.close();
  });

  it('rejects a missing input image, naming the key', async () => {
    const config = v4Config(thresholdPath);
    const inference = await NativeInference.create({ engine, config });
    await expect(inference.inference('spleen', new TransformContext(), config)).rejects.toThrow(/no image 'image'/);
    await inference.close();
  });

  it('rejects a roi whose rank differs from the image', async () => {
    const config = v4Config(thresholdPath, { scanning_window: true, roi: [2, 2] });
    const inference = await NativeInference.create({ engine, config });
    const ctx = new TransformContext({ images: [['image', makeImage(X, [1, 2, 3])]] });
    await expect(inference.inference('spleen', ctx, config)).rejects.toThrow(
      new InvalidInputError("model 'spleen': roi [2, 2] has 2 sizes but the image has 3 spatial axes"),
    );
    await inference.close();
  });

  it('rejects a sliding window without roi', async () => {
    const error = await NativeInference.create({
      engine,
      config: v4Config(thresholdPath, { scanning_window: true }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe('inference.roi');
  });

  it('rejects tensor names the model lacks', async () => {
    const config = ModelConfig.parse(
      { inference: { tf: { input_nodes: { image: 'NV_MODEL_INPUT' } } } },
      { engine: 'AIAA', modelPath: thresholdPath, name: 'names' },
    );
    await expect(NativeInference.create({ engine, config })).rejects.toThrow(
      new ModelLoadError('names', thresholdPath, "configured input 'NV_MODEL_INPUT' not in the model (inputs: image)"),
    );
  });

  it('rejects a config without a model file', async () => {
    const config = ModelConfig.parse({}, { engine: 'AIAA', name: 'empty' });
    await expect(NativeInference.create({ engine, config })).rejects.toThrow(ConfigError);
  });
});

describe('NativeInference on the TRITON engine', () => {
  it("deploys with the config's Triton section and splits windows by its max_batch_size", async () => {
    const repository = join(dir, 'triton-models');
    await mkdir(repository, { recursive: true });
    const peer = await KServePeer.start({ repository });
    const triton = await createEngine('TRITON', {
      triton: { host: peer.host, port: peer.port, modelRepository: repository, retryDelayMs: 20, maxRetryDelayMs: 100 },
    });
    try {
      const config = ModelConfig.parse(
        {
          type: 'segmentation',
          inference: {
            input: 'image',
            output: 'pred',
            TRITON: {
              name: 'aiaa.inference.TritonInference',
              args: { scanning_window: true, roi: [1, 1, 1], batch_size: 3 },
              triton_model_config: {
                platform: 'onnxruntime_onnx',
                max_batch_size: 2,
                input: [{ name: 'image', data_type: 'TYPE_FP32', dims: [1, -1, -1, -1] }],
                output: [{ name: 'logits', data_type: 'TYPE_FP32', dims: [2, -1, -1, -1] }],
              },
            },
          },
        },
        { engine: 'TRITON', modelPath: thresholdPath, name: 'spleen_triton' },
      );
      const inference = await NativeInference.create({ engine: triton, config });
      const ctx = new TransformContext({ images: [['image', makeImage(X, [1, 2, 3])]] });
      await inference.inference('spleen_triton', ctx, config);
      expect(Array.from(ctx.getImage('pred').voxels)).toEqual([...BACKGROUND, ...FOREGROUND]);
      // Six 1-voxel windows in calls of batch_size 3, each split by max_batch_size 2 into 2 + 1.
      expect(peer.inferBatchSizes).toEqual([2, 1, 2, 1]);
      await inference.close();
    } finally {
      await triton.close();
      await peer.close();
    }
  }, 30_000);
});

describe('createEngine', () => {
  it('starts the AIAA engine and a TRITON engine (without contacting Triton)', async () => {
    const aiaa = await createEngine('AIAA');
    expect(aiaa.name).toBe('AIAA');
    await aiaa.close();
    const triton = await createEngine('TRITON', { triton: { host: '127.0.0.1', port: 8001 } });
    expect(triton.name).toBe('TRITON');
    await triton.close();
  });

  it('rejects TRITON without its address, naming the option', async () => {
    const error = await createEngine('TRITON').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe('triton');
  });

  it('names the engines it has when asked for another', async () => {
    await expect(createEngine('CUDA' as never)).rejects.toThrow(
      /no engine 'CUDA' in this build \(engines: AIAA, TRITON\)/,
    );
  });
});
