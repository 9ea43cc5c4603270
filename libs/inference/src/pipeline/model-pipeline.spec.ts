import {
  CATALOGUE,
  CancelledError,
  ConfigError,
  InvalidInputError,
  TransformContext,
  TransformRegistry,
  defineTransform,
} from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { z } from 'zod';
import { Inference } from '../inference';
import { ModelConfig } from '../model-config';
import { ModelPipeline, PipelineStageError, type InferenceStep, type PipelineStage } from './model-pipeline';

/** Thresholds `image` at `cut` into a uint8 `model`; counts its calls and closes. */
class ThresholdInference extends Inference {
  calls = 0;
  closed = 0;
  constructor(readonly cut: number) {
    super();
  }
  inference(_name: string, data: TransformContext, config: ModelConfig): Promise<TransformContext> {
    this.calls++;
    const image = data.getImage(config.getInferenceInput());
    const src = image.voxels;
    const out = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) {
      out[i] = (src[i] as number) > this.cut ? 1 : 0;
    }
    data.setImage(config.getInferenceOutput(), image.with({ voxels: out }));
    return Promise.resolve(data);
  }
  override close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

/** A user class that fails on inputs holding a negative voxel, as a buggy plugin would. */
class FragileInference extends Inference {
  inference(_name: string, data: TransformContext): Promise<TransformContext> {
    if (data.getImage('image').voxels.some((v) => v < 0)) {
      return Promise.reject(new RangeError('negative voxel'));
    }
    data.setImage('model', data.getImage('image'));
    return Promise.resolve(data);
  }
}

/** Counts how often it ran: shows which pre-transforms a cache hit skips. */
const countRuns = { n: 0 };
const counted = defineTransform({
  name: 'CountRuns',
  aliases: [],
  summary: 'A step of this test.',
  args: z.object({}),
  apply() {
    countRuns.n++;
  },
});

/** Adds `value` to every voxel of `image` (float32 out): a second, order-sensitive step. */
const addConstant = defineTransform({
  name: 'AddConstant',
  aliases: [],
  summary: 'A step of this test.',
  args: z.object({ value: z.number() }),
  apply(ctx, a) {
    const image = ctx.getImage('image');
    const out = Float32Array.from(image.voxels, (v) => v + a.value);
    ctx.setImage('image', image.with({ voxels: out }));
  },
});

/** Sums the `model` mask into the result JSON and reports it as the writer's output. */
const sumWriter = defineTransform({
  name: 'SumWriter',
  aliases: [],
  summary: 'A step of this test.',
  args: z.object({}),
  apply(ctx) {
    const voxels = ctx.getImage('model').voxels;
    let sum = 0;
    for (let i = 0; i < voxels.length; i++) {
      sum += voxels[i] as number;
    }
    ctx.writerOutput = { json: { ...ctx.result(), foreground: sum } };
  },
});

/** Waits until the request's signal fires: a stage that never ends on its own. */
const waitForAbort = defineTransform({
  name: 'WaitForAbort',
  aliases: [],
  summary: 'A step of this test.',
  args: z.object({}),
  apply(ctx) {
    return new Promise<void>((resolve) => ctx.signal?.addEventListener('abort', () => resolve(), { once: true }));
  },
});

const registry = new TransformRegistry([...CATALOGUE, counted, addConstant, sumWriter, waitForAbort]);

// CT-like values; after ScaleIntensityRange(a -100..100 → 0..1, clip) they are 0, 0.25, 0.5, 0.75, 1, 1, 0, 0.
const HU = new Int16Array([-100, -50, 0, 50, 100, 300, -1000, -200]);

function config(json: Record<string, unknown>): ModelConfig {
  return ModelConfig.parse(
    {
      type: 'segmentation',
      labels: ['bright'],
      pre_transforms: [
        { name: 'CountRuns' },
        { name: 'ScaleIntensityRange', args: { a_min: -100, a_max: 100, b_min: 0, b_max: 1, clip: true } },
      ],
      inference: { name: 'test.Threshold' },
      writer: { name: 'SumWriter' },
      ...json,
    },
    { engine: 'AIAA', name: 'bright' },
  );
}

function request(params: Record<string, unknown> = {}, signal?: AbortSignal): TransformContext {
  return new TransformContext({ params, signal, images: [['image', makeImage(HU.slice(), [2, 2, 2])]] });
}

async function load(json: Record<string, unknown> = {}, inference: InferenceStep = new ThresholdInference(0.6)) {
  return ModelPipeline.load({ config: config(json), registry, resolveInference: () => inference });
}

describe('ModelPipeline', () => {
  beforeEach(() => {
    countRuns.n = 0;
  });

  it('runs pre-transforms, the inference, post-transforms and the writer in order', async () => {
    const pipeline = await load({ post_transforms: [{ name: 'AddConstant', args: { value: 0 } }] });
    const seen: string[] = [];
    const { ctx, timingsMs, stages } = await pipeline.run(request(), {
      onStage: (stage, index, total) => seen.push(`${index + 1}/${total} ${stage.path} ${stage.name}`),
    });
    // 0.75 and the two 1s exceed 0.6.
    expect(Array.from(ctx.getImage('model').voxels)).toEqual([0, 0, 0, 1, 1, 1, 0, 0]);
    expect(ctx.writerOutput).toEqual({ json: { foreground: 3 } });
    expect(seen).toEqual([
      '1/5 pre_transforms[0] CountRuns',
      '2/5 pre_transforms[1] ScaleIntensityRange',
      '3/5 inference test.Threshold',
      '4/5 post_transforms[0] AddConstant',
      '5/5 writer SumWriter',
    ]);
    expect(stages.map((s) => s.kind)).toEqual([
      'pre_transforms',
      'pre_transforms',
      'inference',
      'post_transforms',
      'writer',
    ]);
    for (const key of ['pre_transforms', 'inference', 'post_transforms', 'writer'] as const) {
      expect(timingsMs[key]).toBeGreaterThanOrEqual(0);
    }
    const sum = timingsMs.pre_transforms + timingsMs.inference + timingsMs.post_transforms + timingsMs.writer;
    expect(timingsMs.total).toBeGreaterThanOrEqual(sum);
  });

  it('passes the config name, the v4 input/output keys and its args to the inference', async () => {
    let seenArgs: unknown;
    const pipeline = await ModelPipeline.load({
      config: config({
        inference: { input: 'image', output: 'pred', AIAA: { name: 'test.Threshold', args: { cut: 0.2 } } },
        writer: undefined,
      }),
      registry,
      resolveInference: (name, args) => {
        seenArgs = { name, args };
        return new ThresholdInference(args['cut'] as number);
      },
    });
    const { ctx } = await pipeline.run(request());
    expect(seenArgs).toEqual({ name: 'test.Threshold', args: { cut: 0.2 } });
    // 0.25, 0.5, 0.75, 1, 1 exceed 0.2.
    expect(Array.from(ctx.getImage('pred').voxels)).toEqual([0, 1, 1, 1, 1, 1, 0, 0]);
    expect(ctx.writerOutput).toBeUndefined();
  });

  it('reuses the context after cache_until for the same cache key, and only for it', async () => {
    const inference = new ThresholdInference(0.6);
    const pipeline = await load({ cache_until: 'ScaleIntensityRange' }, inference);
    expect(pipeline.cacheUntil?.path).toBe('pre_transforms[1]');

    const first = await pipeline.run(request(), { cacheKey: 'session-a' });
    expect(first.cacheHit).toBe(false);
    // A request whose own image differs: a hit must ignore it and use the cached, scaled one.
    const other = new TransformContext({ images: [['image', makeImage(new Int16Array(8).fill(-999), [2, 2, 2])]] });
    const second = await pipeline.run(other, { cacheKey: 'session-a' });
    expect(second.cacheHit).toBe(true);
    expect(second.stages.map((s) => s.path)).toEqual(['inference', 'writer']);
    expect(Array.from(second.ctx.getImage('model').voxels)).toEqual([0, 0, 0, 1, 1, 1, 0, 0]);
    expect(countRuns.n).toBe(1);

    await pipeline.run(request(), { cacheKey: 'session-b' });
    expect(countRuns.n).toBe(2);
    pipeline.evict('session-a');
    await pipeline.run(request(), { cacheKey: 'session-a' });
    expect(countRuns.n).toBe(3);
    await pipeline.run(request());
    expect(countRuns.n).toBe(4);
    expect(inference.calls).toBe(5);
  });

  it('accepts cache_until as ALL and as an index', async () => {
    expect((await load({ cache_until: 'ALL' })).cacheUntil?.path).toBe('pre_transforms[1]');
    expect((await load({ cache_until: '0' })).cacheUntil?.name).toBe('CountRuns');
  });

  it('keeps cached snapshots within the entry limit (least recently used first out)', async () => {
    const pipeline = await ModelPipeline.load({
      config: config({ cache_until: 'ALL' }),
      registry,
      resolveInference: () => new ThresholdInference(0.6),
      cache: { maxEntries: 2 },
    });
    for (const key of ['a', 'b', 'a', 'c', 'a', 'b']) {
      await pipeline.run(request(), { cacheKey: key });
    }
    // a, b run; a hits; c evicts b; a hits; b runs again.
    expect(countRuns.n).toBe(4);
  });

  it('closes the inference once, then runs onClose once', async () => {
    const inference = new ThresholdInference(0.6);
    const order: string[] = [];
    const pipeline = await ModelPipeline.load({
      config: config({}),
      registry,
      resolveInference: () => inference,
      onClose: () => {
        order.push(`onClose after ${inference.closed} close`);
        return Promise.resolve();
      },
    });
    await Promise.all([pipeline.close(), pipeline.close()]);
    expect(inference.closed).toBe(1);
    expect(order).toEqual(['onClose after 1 close']);
  });
});

describe('ModelPipeline failures', () => {
  it('names the model and the stage when the inference throws, and leaves other runs unaffected', async () => {
    const pipeline = await load({}, new FragileInference());
    const bad = new TransformContext({ images: [['image', makeImage(new Float32Array([-1, 0]), [1, 1, 2])]] });
    const badConfig = config({ pre_transforms: [], writer: undefined });
    const raw = await ModelPipeline.load({
      config: badConfig,
      registry,
      resolveInference: () => new FragileInference(),
    });
    const [failed, fine] = await Promise.allSettled([raw.run(bad), pipeline.run(request())]);
    expect(failed.status).toBe('rejected');
    const error = (failed as PromiseRejectedResult).reason as PipelineStageError;
    expect(error).toBeInstanceOf(PipelineStageError);
    expect(error.message).toBe("model 'bright': inference test.Threshold failed: negative voxel");
    expect(error.kind).toBe('internal');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(fine.status).toBe('fulfilled');
  });

  it('keeps the kind of a library error thrown by a transform', async () => {
    const pipeline = await load({
      pre_transforms: [{ name: 'ScaleIntensityRange', args: { a_min: 0, a_max: 1, b_min: 0, b_max: 1 } }],
    });
    const empty = new TransformContext({ images: [['image', makeImage(new Float32Array(0), [0, 1, 1])]] });
    const error = await pipeline.run(empty).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineStageError);
    expect((error as PipelineStageError).kind).toBe('invalid-input');
    expect((error as PipelineStageError).cause).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain('pre_transforms[0] ScaleIntensityRange failed');
  });

  it('stops between stages when the signal fires, with a CancelledError', async () => {
    const pipeline = await load({ pre_transforms: [{ name: 'WaitForAbort' }, { name: 'CountRuns' }] });
    const controller = new AbortController();
    const seen: PipelineStage[] = [];
    const running = pipeline.run(request(), { signal: controller.signal, onStage: (s) => seen.push(s) });
    setTimeout(() => controller.abort(), 10);
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toBe("model 'bright': cancelled before pre_transforms[1] CountRuns");
    expect(seen.map((s) => s.name)).toEqual(['WaitForAbort']);
  });

  it('refuses to run once closed', async () => {
    const pipeline = await load();
    await pipeline.close();
    await expect(pipeline.run(request())).rejects.toThrow("model 'bright' is closed");
  });
});

describe('ModelPipeline.load with a bad config', () => {
  const resolveInference = () => new ThresholdInference(0.5);

  it('names the pre-transform index of an unknown transform', async () => {
    const bad = config({ pre_transforms: [{ name: 'CountRuns' }, { name: 'CountRuns' }, { name: 'NoSuchStep' }] });
    const error = await ModelPipeline.load({ config: bad, registry, resolveInference }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe('pre_transforms[2]');
    expect((error as Error).message).toContain("unknown transform 'NoSuchStep'");
  });

  it('names the field of bad transform args', async () => {
    const bad = config({ post_transforms: [{ name: 'AddConstant', args: { value: 'x' } }] });
    const error = await ModelPipeline.load({ config: bad, registry, resolveInference }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('post_transforms[0] AddConstant: value must be a number');
  });

  it('names the writer', async () => {
    const bad = config({ writer: { name: 'NoWriter' } });
    const error = await ModelPipeline.load({ config: bad, registry, resolveInference }).catch((e: unknown) => e);
    expect((error as ConfigError).path).toBe('writer');
  });

  it('names cache_until when it matches no pre-transform', async () => {
    for (const cacheUntil of ['LoadNifti', '7']) {
      const error = await ModelPipeline.load({
        config: config({ cache_until: cacheUntil }),
        registry,
        resolveInference,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).path).toBe('cache_until');
    }
  });

  it('does not build the inference when a transform is bad', async () => {
    let built = 0;
    const bad = config({ pre_transforms: [{ name: 'NoSuchStep' }] });
    await expect(
      ModelPipeline.load({ config: bad, registry, resolveInference: () => (built++, new ThresholdInference(0)) }),
    ).rejects.toThrow(ConfigError);
    expect(built).toBe(0);
  });
});
