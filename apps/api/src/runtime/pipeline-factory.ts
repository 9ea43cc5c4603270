// Builds a model's pipeline from plain data. The server calls it on the main thread (`--workers 0`) and each pipeline
// worker thread calls it by module path, so it imports no NestJS and holds no state.
import { CATALOGUE, TransformRegistry } from '@aiaa/core';
import {
  ModelConfig,
  ModelPipeline,
  NativeInference,
  createEngine,
  isBuiltinInference,
  type EngineOptions,
  type InferenceEngine,
  type PipelineSpec,
} from '@aiaa/inference';
import { PluginLoader } from '@aiaa/plugins-loader';

/** What {@link createPipeline} reads from `spec.options`. */
export interface PipelineFactoryOptions {
  /** Options of the engines (`triton`: Triton's address and model repository). */
  readonly engines?: EngineOptions;
}

/**
 * The pipeline of one model version: the transform catalogue, classes from `<workspace>/lib` for names it does not
 * know, and the inference the config names (a user's class, or NativeInference on `spec.engine`, created here and
 * closed with the pipeline).
 * @throws ConfigError naming the config path; PluginError naming the plugin file; the engine's load errors.
 */
export async function createPipeline(spec: PipelineSpec): Promise<ModelPipeline> {
  const options = (spec.options ?? {}) as PipelineFactoryOptions;
  const config = ModelConfig.parse(spec.configJson, {
    engine: spec.engine,
    name: spec.modelName,
    ...(spec.modelPath === undefined ? {} : { modelPath: spec.modelPath }),
  });
  const plugins = new PluginLoader({ workspaceDir: spec.workspaceDir ?? 'workspace' }).forModel(spec.modelName);
  let engine: InferenceEngine | undefined;
  const closeOthers = async (): Promise<void> => {
    const results = await Promise.allSettled([plugins.close(), engine?.close()]);
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
        engine = await createEngine(spec.engine, options.engines ?? {});
        return NativeInference.create({ engine, config });
      },
      onClose: closeOthers,
    });
  } catch (error) {
    await closeOthers().catch(() => undefined);
    throw error;
  }
}
