import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { AiaaError, CancelledError, ConfigError, TransformContext } from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { PipelineStageError, type PipelineStage } from './model-pipeline';
import { PipelineWorkerPool, type PipelineWorkerPoolOptions } from './pipeline-worker';

// Workers run the TypeScript sources through the same loader hook as `npm start`.
const ROOT = path.resolve(__dirname, '../../../..');
const WORKER_RUNTIME = {
  execArgv: ['-r', '@swc-node/register'],
  env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json') },
};
const FACTORY = { module: path.join(__dirname, '../testing/arithmetic-pipeline-factory.ts') };

const CONFIG = {
  type: 'segmentation',
  labels: ['bright'],
  pre_transforms: [{ name: 'ScaleIntensityRange', args: { a_min: 0, a_max: 1000, b_min: 0, b_max: 1, clip: true } }],
  inference: { name: 'test.Threshold', args: { cut: 0.5 } },
  cache_until: 'ScaleIntensityRange',
};

function options(overrides: Partial<PipelineWorkerPoolOptions> = {}): PipelineWorkerPoolOptions {
  return {
    spec: { modelName: 'bright', configJson: CONFIG, engine: 'AIAA' },
    factory: FACTORY,
    ...WORKER_RUNTIME,
    ...overrides,
  };
}

// 16×64×64 int16 volume (128 KiB: large enough to be moved, not copied); voxel v = index mod 1000, so after the
// window 0..1000 → 0..1 and the cut at 0.5, a voxel is 1 exactly when index mod 1000 > 500.
const SHAPE = [16, 64, 64];
const COUNT = 16 * 64 * 64;
function volume(): Int16Array {
  const voxels = new Int16Array(COUNT);
  for (let i = 0; i < COUNT; i++) {
    voxels[i] = i % 1000;
  }
  return voxels;
}
const EXPECTED_FOREGROUND = (() => {
  let n = 0;
  for (let i = 0; i < COUNT; i++) {
    n += i % 1000 > 500 ? 1 : 0;
  }
  return n;
})();

function request(params: Record<string, unknown> = {}, voxels: Int16Array = volume()): TransformContext {
  return new TransformContext({ params, images: [['image', makeImage(voxels, SHAPE)]] });
}

function sum(voxels: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < voxels.length; i++) {
    total += voxels[i] as number;
  }
  return total;
}

describe('PipelineWorkerPool', () => {
  let pool: PipelineWorkerPool;

  beforeAll(async () => {
    pool = await PipelineWorkerPool.create(options({ workers: 2 }));
  }, 60_000);

  afterAll(() => pool.close());

  it('runs the pipeline in another thread, moving the voxels there and back', async () => {
    const voxels = volume();
    const seen: string[] = [];
    const { ctx, timingsMs, stages } = await pool.run(request({}, voxels), {
      onStage: (stage: PipelineStage, index, total) => seen.push(`${index + 1}/${total} ${stage.path}`),
    });
    // The input buffer was transferred, not copied: the caller's array is detached.
    expect(voxels.length).toBe(0);
    const model = ctx.getImage('model');
    expect(model.shape).toEqual(SHAPE);
    expect(model.voxels).toBeInstanceOf(Uint8Array);
    expect(sum(model.voxels)).toBe(EXPECTED_FOREGROUND);
    expect(model.voxels[501]).toBe(1);
    expect(model.voxels[500]).toBe(0);
    expect(ctx.getImage('image').voxels).toBeInstanceOf(Float32Array);
    expect(ctx.result()['threadId']).not.toBe(threadId);
    expect(seen).toEqual(['1/2 pre_transforms[0]', '2/2 inference']);
    expect(stages.map((s) => s.path)).toEqual(['pre_transforms[0]', 'inference']);
    expect(timingsMs.total).toBeGreaterThanOrEqual(timingsMs.pre_transforms + timingsMs.inference);
    expect(pool.stages.map((s) => s.name)).toEqual(['ScaleIntensityRange', 'test.Threshold']);
  });

  it('keeps the event loop free while a worker computes', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    await pool.run(request({ busyMs: 400 }));
    clearInterval(timer);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);
    // A blocked loop would tick at most once; 400 ms at 10 ms leaves room for a slow, shared machine.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('runs two requests on two workers at once', async () => {
    const [a, b] = await Promise.all([pool.run(request({ busyMs: 200 })), pool.run(request({ busyMs: 200 }))]);
    expect(a.ctx.result()['threadId']).not.toBe(b.ctx.result()['threadId']);
  });

  it('reuses the cache_until context for a repeated key on the worker that holds it', async () => {
    const first = await pool.run(request(), { cacheKey: 'session-1' });
    const second = await pool.run(request({}, new Int16Array(COUNT)), { cacheKey: 'session-1' });
    expect(first.cacheHit).toBe(false);
    expect(second.cacheHit).toBe(true);
    expect(second.ctx.result()['threadId']).toBe(first.ctx.result()['threadId']);
    // The cached, scaled image was used, not the request's zeros.
    expect(sum(second.ctx.getImage('model').voxels)).toBe(EXPECTED_FOREGROUND);
    pool.evict('session-1');
    expect((await pool.run(request(), { cacheKey: 'session-1' })).cacheHit).toBe(false);
  });

  it('names the model and stage when the inference throws, and serves the next request', async () => {
    const error = await pool.run(request({ fail: 'weights missing' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineStageError);
    expect((error as AiaaError).kind).toBe('internal');
    expect((error as Error).message).toBe("model 'bright': inference test.Threshold failed: weights missing");
    expect(sum((await pool.run(request())).ctx.getImage('model').voxels)).toBe(EXPECTED_FOREGROUND);
  });

  it('rejects a cancelled request at once and stays usable', async () => {
    const controller = new AbortController();
    const running = pool.run(request({ busyMs: 5000 }), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const t0 = performance.now();
    await expect(running).rejects.toThrow(CancelledError);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(sum((await pool.run(request())).ctx.getImage('model').voxels)).toBe(EXPECTED_FOREGROUND);
  });
});

describe('PipelineWorkerPool limits and failures', () => {
  it('refuses a request past the queue limit with kind unavailable, and cancels queued ones', async () => {
    const pool = await PipelineWorkerPool.create(options({ workers: 1, maxQueue: 1 }));
    try {
      const busy = pool.run(request({ busyMs: 300 }));
      const controller = new AbortController();
      const queued = pool.run(request(), { signal: controller.signal });
      expect(pool.queued).toBe(1);
      const refused = await pool.run(request()).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AiaaError);
      expect((refused as AiaaError).kind).toBe('unavailable');
      expect((refused as Error).message).toContain('queue limit 1');
      controller.abort();
      await expect(queued).rejects.toThrow(CancelledError);
      expect(pool.queued).toBe(0);
      await expect(busy).resolves.toBeDefined();
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('fails the request of a worker that dies, then replaces the worker', async () => {
    const pool = await PipelineWorkerPool.create(options({ workers: 1 }));
    try {
      const error = await pool.run(request({ exitCode: 3 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AiaaError);
      expect((error as Error).message).toBe(
        "model 'bright': its pipeline worker stopped (exit code 3) during the request",
      );
      const { ctx } = await pool.run(request());
      expect(sum(ctx.getImage('model').voxels)).toBe(EXPECTED_FOREGROUND);
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('close stops a busy worker after its timeout and fails its request', async () => {
    const pool = await PipelineWorkerPool.create(options({ workers: 1, closeTimeoutMs: 100 }));
    const running = pool.run(request({ busyMs: 20_000 }));
    const queued = pool.run(request());
    const outcomes = Promise.allSettled([running, queued]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const t0 = performance.now();
    await pool.close();
    expect(performance.now() - t0).toBeLessThan(5000);
    for (const outcome of await outcomes) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as AiaaError;
      expect(error.kind).toBe('unavailable');
      expect(error.message).toBe("model 'bright' was closed");
    }
  }, 60_000);

  it('close refuses a running request at once, then waits for its worker to finish the run instead of stopping it', async () => {
    // The busy loop holds the worker's thread as onnxruntime's synchronous run does; stopping a worker inside a
    // native run aborts the process, so the default close timeout outlasts such runs (6 s here; the old one was 5 s).
    const pool = await PipelineWorkerPool.create(options({ workers: 1 }));
    const running = pool.run(request({ busyMs: 6000 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const t0 = performance.now();
    const closed = pool.close();
    const error = (await running.catch((e: unknown) => e)) as AiaaError;
    expect(error.message).toBe("model 'bright' was closed");
    expect(performance.now() - t0).toBeLessThan(500);
    await closed;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(5500);
  }, 60_000);

  it('rejects requests after close', async () => {
    const pool = await PipelineWorkerPool.create(options());
    await pool.close();
    const error = await pool.run(request()).catch((e: unknown) => e);
    expect((error as AiaaError).kind).toBe('unavailable');
    expect((error as Error).message).toBe("model 'bright' is closed");
  }, 60_000);
});

describe('PipelineWorkerPool.create with a bad model', () => {
  it('rethrows the ConfigError a worker hit while building the pipeline', async () => {
    const bad = { ...CONFIG, pre_transforms: [{ name: 'ScaleIntensityRange', args: { a_min: 'low' } }] };
    const error = await PipelineWorkerPool.create(
      options({ spec: { modelName: 'bad', configJson: bad, engine: 'AIAA' } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe('pre_transforms[0] ScaleIntensityRange');
    expect((error as Error).message).toContain('a_min must be a number');
  }, 60_000);

  it('names the factory module when it has no such export', async () => {
    const error = await PipelineWorkerPool.create(options({ factory: { ...FACTORY, exportName: 'nothing' } })).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toContain("exports no function 'nothing'");
    expect((error as Error).message).toContain('arithmetic-pipeline-factory.ts');
  }, 60_000);

  it('refuses a worker count that is not a positive integer', async () => {
    await expect(PipelineWorkerPool.create(options({ workers: 0 }))).rejects.toThrow(
      'workers must be a positive integer',
    );
  });
});
