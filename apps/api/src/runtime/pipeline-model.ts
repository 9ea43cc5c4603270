import { Logger } from '@nestjs/common';
import type { TransformContext } from '@aiaa/core';
import type { ModelPipeline } from '@aiaa/inference';
import type { LoadedModel, ModelInfo, ModelRunOptions, ModelRunResult } from './loaded-model';
import { RunProgress } from './run-progress';

/** What runs a model: its pipeline on the main thread, or a pool of worker threads that each built one. */
export type PipelineRunner = Pick<ModelPipeline, 'run' | 'close'> & { readonly queued?: number };

/** A loaded model backed by its pipeline runner; each run logs its progress and stage timings. */
export class PipelineModel implements LoadedModel {
  readonly #logger = new Logger('Inference');

  constructor(
    readonly info: ModelInfo,
    readonly engine: string,
    private readonly runner: PipelineRunner,
  ) {}

  get queued(): number {
    return this.runner.queued ?? 0;
  }

  async run(ctx: TransformContext, options: ModelRunOptions = {}): Promise<ModelRunResult> {
    const progress = new RunProgress((line) => this.#logger.log(line), this.info.name);
    try {
      const result = await this.runner.run(ctx, {
        signal: options.signal,
        cacheKey: options.cacheKey,
        onStage: progress.onStage,
      });
      progress.done(result.timingsMs);
      return { ctx: result.ctx, timingsMs: { ...result.timingsMs }, cacheHit: result.cacheHit };
    } finally {
      progress.stop();
    }
  }

  /** Closes the pipeline: its inference, its plugins and its engine (each once). */
  close(): Promise<void> {
    return this.runner.close();
  }
}
