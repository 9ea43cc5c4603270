import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import {
  IN_PROCESS_ENGINE,
  ModelConfig,
  PipelineWorkerPool,
  createEngine,
  resolveModelLabels,
  type EngineName,
  type EngineOptions,
  type PipelineSpec,
} from '@aiaa/inference';
import { PIPELINE_FACTORY, createPipeline, type PipelineFactoryOptions } from '@aiaa/plugins-loader';
import { AppConfig } from '../config/app-config';
import type { LoadedModel, ModelInfo } from './loaded-model';
import { PipelineModel, type PipelineRunner } from './pipeline-model';

/** The repository root, for the TypeScript loader of workers when the server runs from sources. */
const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The engine a stored model names: one of the server's, or `native` (`PUT /admin/model/{name}?native=true`). */
export type ModelEngine = EngineName | 'native';

/** Everything needed to build one version of a model. */
export interface ModelSource {
  readonly name: string;
  /** The registry's version number, reported as `active_version` once it serves. */
  readonly version?: number;
  /** The parsed `config_aiaa.json`. */
  readonly config: unknown;
  /** The folder that holds the model's files (staging during an upload, `models/<name>` afterwards). */
  readonly dir: string;
  /** Absolute path of the model file (`.onnx`); absent for pipeline and plugin models. */
  readonly modelFile?: string;
  readonly engine: ModelEngine;
  /**
   * Whether loading deploys the model to a shared engine (Triton): `always` for the instance writing the registry,
   * `unless-ready` at boot beside other instances, `never` when following another instance's change. Default always.
   */
  readonly deploy?: 'always' | 'unless-ready' | 'never';
}

/**
 * The `/v1/models` entry of a validated config: the fields clients read plus its listing extras, and the registry's
 * version number when there is one (`version` stays the config's, as AIAA clients read it). `labels` are the
 * config's unless given (the model file's own, see `resolveModelLabels`).
 */
export function modelInfoOf(
  config: ModelConfig,
  registryVersion?: number,
  labels: readonly string[] = config.labels,
): ModelInfo {
  return {
    ...config.listingExtras(),
    name: config.name,
    labels,
    description: config.description,
    version: config.version,
    type: config.type,
    ...(registryVersion === undefined ? {} : { active_version: registryVersion }),
  };
}

/**
 * Builds a {@link LoadedModel} from a config and its files: its pipeline (see {@link createPipeline}), run on
 * `--workers` worker threads so that CPU-heavy stages leave the event loop free, or on the main thread with
 * `--workers 0`. Every check a config can fail runs here, before the registry commits anything.
 */
@Injectable()
export class ModelLoader {
  constructor(@Inject(AppConfig) private readonly appConfig: AppConfig) {}

  /** @throws ConfigError naming the config path; PluginError naming the plugin file; the engine's load errors. */
  async load(source: ModelSource): Promise<LoadedModel> {
    const engine: EngineName = source.engine === 'native' ? IN_PROCESS_ENGINE : source.engine;
    // Parsed here too: the top-level checks answer at once, and the listing comes from the main thread.
    const config = ModelConfig.parse(source.config, {
      engine,
      name: source.name,
      ...(source.modelFile === undefined ? {} : { modelPath: source.modelFile }),
      modelDir: source.dir,
    });
    const options: PipelineFactoryOptions = { engines: this.#engineOptions(source.deploy) };
    const spec: PipelineSpec = {
      modelName: source.name,
      configJson: source.config,
      ...(source.modelFile === undefined ? {} : { modelPath: source.modelFile }),
      modelDir: source.dir,
      workspaceDir: this.appConfig.workspace,
      engine,
      options: options as Readonly<Record<string, unknown>>,
    };
    const runner: PipelineRunner =
      this.appConfig.workers === 0
        ? await createPipeline(spec)
        : await PipelineWorkerPool.create({
            spec,
            factory: PIPELINE_FACTORY,
            workers: this.appConfig.workers,
            ...workerLoader(),
          });
    // After the pipeline: a file the engine cannot load is reported as such, not as unreadable metadata.
    const labels = await resolveModelLabels(config).catch(async (error: unknown) => {
      await runner.close();
      throw error;
    });
    return new PipelineModel(modelInfoOf(config, source.version, labels), source.engine, runner);
  }

  /**
   * Takes a deleted model off the engine it was deployed to (Triton unloads it and its folder leaves the model
   * repository); closing a model only lets go of its handle, since unloading is the deployer's decision.
   * @throws the engine's error (Triton unreachable).
   */
  async undeploy(name: string, engine: ModelEngine): Promise<void> {
    if (engine === 'native') {
      return;
    }
    const deployer = await createEngine(engine, this.#engineOptions());
    try {
      await deployer.unload?.(name);
    } finally {
      await deployer.close();
    }
  }

  #engineOptions(deploy: ModelSource['deploy'] = 'always'): EngineOptions {
    return {
      triton: {
        host: this.appConfig.tritonHost,
        port: this.appConfig.tritonPort,
        modelRepository: this.appConfig.tritonModelPath,
        deploy,
      },
    };
  }
}

/**
 * When the server runs from TypeScript sources, workers need the same loader hook: the process's own when it was
 * started with one (`npm start`), else (a test runner) `@swc-node/register` with the repository's tsconfig.
 */
function workerLoader(): { execArgv?: string[]; env?: Record<string, string | undefined> } {
  if (!PIPELINE_FACTORY.module.endsWith('.ts') || process.execArgv.some((a) => a.includes('@swc-node/register'))) {
    return {};
  }
  // The one read of process.env outside the config: workers inherit the environment, plus the loader's project.
  return {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.base.json') },
  };
}
