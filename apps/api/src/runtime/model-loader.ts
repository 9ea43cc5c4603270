import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CATALOGUE, TransformRegistry } from '@aiaa/core';
import {
  ModelConfig,
  ModelPipeline,
  NativeInference,
  createEngine,
  isBuiltinInference,
  type EngineName,
  type InferenceEngine,
} from '@aiaa/inference';
import { PluginLoader } from '@aiaa/plugins-loader';
import { AppConfig } from '../config/env.dto';
import type { LoadedModel, ModelInfo } from './loaded-model';
import { PipelineModel } from './pipeline-model';

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
      return new PipelineModel(modelInfoOf(config), source.engine, pipeline, plugins);
    } catch (error) {
      await plugins.close();
      throw error;
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
