import * as path from 'node:path';
import type { TransformContext } from '@aiaa/core';
import { PipelineWorkerPool, isBuiltinInference, type ModelConfig, type PipelineSpec } from '@aiaa/inference';
import { PIPELINE_FACTORY } from '@aiaa/plugins-loader';
import type { LoadedModel, ModelInfo, ModelRunOptions, ModelRunResult } from './loaded-model';

/**
 * Whether a model is served from worker threads. Only the built-in inference on the in-process onnxruntime engine
 * (`AIAA`, also `native` uploads) is: that is where a sliding window keeps a core busy for seconds.
 * - `TRITON` stays on the main thread: the network runs on Triton, and each worker's engine would deploy the model
 *   again (rewriting its repository folder and reloading it on Triton while requests run).
 * - A user's inference class stays on the main thread: the BYO contract builds it once per model version and closes
 *   it once, which a copy per worker thread would break.
 */
export function runsInWorkers(config: ModelConfig, engine: string): boolean {
  return engine === 'AIAA' && isBuiltinInference(config.inferenceName());
}

/** What {@link WorkerPipelineModel.start} needs besides the model's listing. */
export interface WorkerModelOptions {
  readonly spec: PipelineSpec;
  /** Worker threads, each running one request at a time. */
  readonly workers: number;
}

/**
 * A loaded model whose pipeline runs in a {@link PipelineWorkerPool}, so that a long inference leaves the event loop
 * free for other requests. Each worker builds the pipeline with the shared factory of `@aiaa/plugins-loader`, the
 * same one the main thread checked the config with.
 */
export class WorkerPipelineModel implements LoadedModel {
  private constructor(
    readonly info: ModelInfo,
    readonly engine: string,
    private readonly pool: PipelineWorkerPool,
  ) {}

  /** @throws what building the pipeline threw in a worker (its kind kept, so a bad model is still a 4xx). */
  static async start(info: ModelInfo, engine: string, options: WorkerModelOptions): Promise<WorkerPipelineModel> {
    const pool = await PipelineWorkerPool.create({
      spec: options.spec,
      factory: PIPELINE_FACTORY,
      workers: options.workers,
      ...workerRuntime(),
    });
    return new WorkerPipelineModel(info, engine, pool);
  }

  async run(ctx: TransformContext, options: ModelRunOptions = {}): Promise<ModelRunResult> {
    // The pool moves voxel buffers to the worker; the caller's images may be shared (a session keeps its decoded
    // image for the next click), so the worker gets copies and the caller's arrays stay whole.
    for (const name of ctx.imageNames()) {
      const image = ctx.getImage(name);
      ctx.setImage(name, image.with({ voxels: image.voxels.slice() }));
    }
    const result = await this.pool.run(ctx, options.signal ? { signal: options.signal } : {});
    return { ctx: result.ctx, timingsMs: { ...result.timingsMs } };
  }

  /** Lets each worker close its pipeline, then stops the workers; once. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * Node options of the workers. Run from TypeScript sources (`npm start`, tests), a worker needs the SWC loader hook
 * that `tools/scripts/start.js` gives the server: it is passed explicitly because a test runner does not carry it.
 */
function workerRuntime(): { execArgv?: string[]; env?: Record<string, string | undefined> } {
  if (path.extname(__filename) !== '.ts') {
    return {};
  }
  const root = path.resolve(__dirname, '../../../..');
  // The workers' environment is the process's own, plus where the loader hook finds the @aiaa/* paths.
  const env = process.env;
  return {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...env, SWC_NODE_PROJECT: env['SWC_NODE_PROJECT'] ?? path.join(root, 'tsconfig.base.json') },
  };
}
