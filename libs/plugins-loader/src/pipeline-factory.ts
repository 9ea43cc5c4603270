import { CATALOGUE, TransformRegistry } from '@aiaa/core';
import {
  ModelConfig,
  ModelPipeline,
  NativeInference,
  createEngine,
  isBuiltinInference,
  type EngineOptions,
  type PipelineFactoryRef,
  type PipelineSpec,
} from '@aiaa/inference';
import { PluginLoader } from './plugin-loader';

/** What {@link createPipeline} reads from `PipelineSpec.options`: plain data, so that it crosses to worker threads. */
export interface PipelineFactoryOptions {
  /** Options of the engine the built-in inference runs on (`triton` is required for the TRITON engine). */
  readonly engines?: EngineOptions;
}

/**
 * Builds a model's pipeline from plain data: the transform catalogue, the user's classes from `<workspace>/lib` for
 * names the catalogue does not know, and the built-in inference names ({@link @aiaa/inference#isBuiltinInference}) as NativeInference
 * on an engine of its own (`spec.engine`, options from `spec.options.engines`). Closing the pipeline closes that engine
 * and the plugin instances. The factory of pipeline worker threads: see {@link PIPELINE_FACTORY}.
 * @throws ConfigError naming the config path; PluginError naming the plugin file; the engine's errors
 *   (ModelLoadError naming the model file, EngineUnavailableError).
 */
export async function createPipeline(spec: PipelineSpec): Promise<ModelPipeline> {
  const config = ModelConfig.parse(spec.configJson, {
    engine: spec.engine,
    name: spec.modelName,
    ...(spec.modelPath ? { modelPath: spec.modelPath } : {}),
    ...(spec.modelDir ? { modelDir: spec.modelDir } : {}),
  });
  const options = (spec.options ?? {}) as PipelineFactoryOptions;
  const plugins = new PluginLoader({ workspaceDir: spec.workspaceDir ?? 'workspace' }).forModel(spec.modelName);
  // The engine starts only when the config names a built-in inference (a plugin model needs none).
  let engine: ReturnType<typeof createEngine> | undefined;
  const closeOthers = async (): Promise<void> => {
    const started = engine ? await engine.catch(() => undefined) : undefined;
    const results = await Promise.allSettled([plugins.close(), started?.close()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
  };
  try {
    return await ModelPipeline.load({
      config,
      registry: new TransformRegistry(CATALOGUE),
      resolveTransform: plugins.loadTransform,
      resolveWriter: plugins.loadWriter,
      resolveInference: async (name, args) => {
        if (!isBuiltinInference(name)) {
          return plugins.loadInference(name, args);
        }
        engine ??= createEngine(spec.engine, options.engines ?? {});
        return NativeInference.create({ engine: await engine, config });
      },
      onClose: closeOthers,
    });
  } catch (error) {
    // What failed to build is the error to report, not a failing close after it.
    await closeOthers().catch(() => undefined);
    throw error;
  }
}

/** The module and export that build pipelines in worker threads (`PipelineWorkerPoolOptions.factory`). */
export const PIPELINE_FACTORY: PipelineFactoryRef = { module: __filename, exportName: 'createPipeline' };
