import type { TransformContext } from '@aiaa/core';
import type { ModelPipeline } from '@aiaa/inference';
import type { ModelPlugins } from '@aiaa/plugins-loader';
import type { LoadedModel, ModelInfo, ModelRunOptions, ModelRunResult } from './loaded-model';

/** A loaded model backed by its {@link ModelPipeline} and the plugins its config named. */
export class PipelineModel implements LoadedModel {
  #closing: Promise<void> | undefined;

  constructor(
    readonly info: ModelInfo,
    readonly engine: string,
    private readonly pipeline: ModelPipeline,
    private readonly plugins: ModelPlugins,
  ) {}

  async run(ctx: TransformContext, options: ModelRunOptions = {}): Promise<ModelRunResult> {
    const result = await this.pipeline.run(ctx, options.signal ? { signal: options.signal } : {});
    return { ctx: result.ctx, timingsMs: { ...result.timingsMs } };
  }

  /** Closes the pipeline (its inference) and then every plugin instance, once. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.pipeline.close();
      } finally {
        await this.plugins.close();
      }
    })();
    return this.#closing;
  }
}
