import { Inject, Injectable } from '@nestjs/common';
import { CATALOGUE, EngineUnavailableError, TransformRegistry } from '@aiaa/core';
import { ModelConfig } from '@aiaa/inference';
import { PluginLoader } from '@aiaa/plugins-loader';
import { AppConfig } from '../config/env.dto';
import type { LoadedModel, ModelInfo, ModelRunResult } from './loaded-model';

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
 * Builds a {@link LoadedModel} from a config and its files. Every check a config can fail (top-level fields,
 * transform names and args, plugin classes) runs here, before the registry commits anything.
 */
@Injectable()
export class ModelLoader {
  readonly #registry = new TransformRegistry(CATALOGUE);
  readonly #plugins: PluginLoader;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.#plugins = new PluginLoader({ workspaceDir: config.workspace });
  }

  /** @throws ConfigError naming the config path; PluginError naming the plugin file. */
  async load(source: ModelSource): Promise<LoadedModel> {
    const config = ModelConfig.parse(source.config, {
      engine: source.engine === 'TRITON' ? 'TRITON' : 'AIAA',
      name: source.name,
      ...(source.modelFile === undefined ? {} : { modelPath: source.modelFile }),
    });
    const plugins = this.#plugins.forModel(source.name);
    try {
      const raw = source.config as Record<string, unknown>;
      this.#registry.buildList(raw['pre_transforms'], 'pre_transforms', plugins.loadTransform);
      this.#registry.buildList(raw['post_transforms'], 'post_transforms', plugins.loadTransform);
      if (raw['writer'] !== undefined) {
        this.#registry.build(raw['writer'], 'writer', plugins.loadWriter);
      }
    } catch (error) {
      await plugins.close();
      throw error;
    }
    return {
      info: modelInfoOf(config),
      engine: source.engine,
      run(): Promise<ModelRunResult> {
        return Promise.reject(new EngineUnavailableError('pipeline', 'the pipeline runner is not available yet'));
      },
      close: () => plugins.close(),
    };
  }
}
