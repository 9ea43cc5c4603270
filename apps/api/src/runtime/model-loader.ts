import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CATALOGUE, TransformRegistry } from '@aiaa/core';
import {
  ModelConfig,
  ModelPipeline,
  NativeInference,
  TritonEngine,
  createEngine,
  isBuiltinInference,
  type EngineName,
  type InferenceEngine,
} from '@aiaa/inference';
import { PluginLoader } from '@aiaa/plugins-loader';
import { AppConfig } from '../config/env.dto';
import type { LoadedModel, ModelInfo } from './loaded-model';
import { PipelineModel } from './pipeline-model';
import { WorkerPipelineModel, runsInWorkers } from './worker-pipeline-model';

/** Engines a stored model can name: the server's two, plus `native` for `PUT /admin/model/{name}?native=true`. */
export const MODEL_ENGINES = ['AIAA', 'TRITON', 'native'] as const;
export type ModelEngine = (typeof MODEL_ENGINES)[number];

/** Everything needed to build one version of a model. */
export interface ModelSource {
  readonly name: string;
  /** The parsed `config_aiaa.json`. */
  readonly config: unknown;
  /** The folder that holds the model's files (staging during an upload, `models/<name>` afterwards). */
  readonly dir: string;
  /** Absolute path of the model file (`.onnx`); absent for pipeline and plugin models. */
  readonly modelFile?: string;
  readonly engine: ModelEngine;
}

/** The `/v1/models` entry of a validated config: the fields clients read plus its listing extras. */
export function modelInfoOf(config: ModelConfig): ModelInfo {
  return {
    ...config.listingExtras(),
    name: config.name,
    labels: config.labels,
    description: config.description,
    version: config.version,
    type: config.type,
  };
}

/**
 * Builds a {@link LoadedModel} from a config and its files: its {@link ModelPipeline} with the transform catalogue,
 * the user's classes from `<workspace>/lib` for names the catalogue does not know, and the inference the config
 * names (a user's class, or the built-in one on the model's engine). Every check a config can fail runs here, before
 * the registry commits anything.
 */
@Injectable()
export class ModelLoader implements OnApplicationShutdown {
  readonly #registry = new TransformRegistry(CATALOGUE);
  readonly #plugins: PluginLoader;
  /** One engine per `--engine` name, created on first use and shared by every model on it. */
  readonly #engines = new Map<EngineName, Promise<InferenceEngine>>();

  constructor(@Inject(AppConfig) private readonly appConfig: AppConfig) {
    this.#plugins = new PluginLoader({ workspaceDir: appConfig.workspace });
  }

  /** @throws ConfigError naming the config path; PluginError naming the plugin file; the engine's load errors. */
  async load(source: ModelSource): Promise<LoadedModel> {
    const engineName: EngineName = source.engine === 'TRITON' ? 'TRITON' : 'AIAA';
    const config = ModelConfig.parse(source.config, {
      engine: engineName,
      name: source.name,
      ...(source.modelFile === undefined ? {} : { modelPath: source.modelFile }),
    });
    const plugins = this.#plugins.forModel(source.name);
    try {
      const pipeline = await ModelPipeline.load({
        config,
        registry: this.#registry,
        resolveTransform: plugins.loadTransform,
        resolveWriter: plugins.loadWriter,
        resolveInference: async (name, args) =>
          isBuiltinInference(name)
            ? NativeInference.create({ engine: await this.#engine(engineName), config })
            : plugins.loadInference(name, args),
      });
      const model = new PipelineModel(modelInfoOf(config), source.engine, pipeline, plugins);
      if (this.appConfig.workers === 0 || !runsInWorkers(config, engineName)) {
        return model;
      }
      try {
        return await WorkerPipelineModel.start(model.info, source.engine, {
          workers: this.appConfig.workers,
          spec: {
            modelName: source.name,
            configJson: source.config,
            modelDir: source.dir,
            workspaceDir: this.appConfig.workspace,
            engine: engineName,
            ...(source.modelFile === undefined ? {} : { modelPath: source.modelFile }),
          },
        });
      } finally {
        // This copy only checked the config on the main thread (a bad model fails before anything commits).
        await model.close();
      }
    } catch (error) {
      await plugins.close();
      throw error;
    }
  }

  /**
   * Takes a deleted model off its engine: Triton unloads it and its folder leaves the model repository (closing a
   * model only lets go of its handle, since unloading from Triton is the deployer's decision).
   * @throws the engine's error (Triton unreachable).
   */
  async undeploy(name: string, engine: ModelEngine): Promise<void> {
    const triton = engine === 'TRITON' ? await this.#engines.get('TRITON') : undefined;
    if (triton instanceof TritonEngine) {
      await triton.unload(name);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const engines = await Promise.allSettled(this.#engines.values());
    this.#engines.clear();
    await Promise.allSettled(engines.map((e) => (e.status === 'fulfilled' ? e.value.close() : undefined)));
  }

  /** The engine `name`, created once; a failed creation is not kept, so the next load tries again. */
  #engine(name: EngineName): Promise<InferenceEngine> {
    let engine = this.#engines.get(name);
    if (!engine) {
      const created = createEngine(name, {
        triton: {
          host: this.appConfig.tritonIp ?? 'localhost',
          port: this.appConfig.tritonPort,
          modelRepository: this.appConfig.tritonModelPath,
        },
      });
      created.catch(() => this.#engines.delete(name));
      this.#engines.set(name, created);
      engine = created;
    }
    return engine;
  }
}
