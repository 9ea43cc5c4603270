import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { LoadedModel } from '../runtime/loaded-model';
import { ModelLoader, type ModelSource } from '../runtime/model-loader';
import { ModelEvents } from './model-events';
import { ModelFolders } from './model-folders';
import { sourceOf } from './model-version';
import type { NewVersion } from './model.repository';

/**
 * Loads one version of a model from its folder, on the engine of this start (`--engine`) unless it was uploaded with
 * `?native=true`, and reports the load or its failure. `deploy` says whether a shared engine (Triton) gets the model
 * from this load (see {@link ModelSource.deploy}).
 */
@Injectable()
export class VersionLoader {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ModelFolders) private readonly folders: ModelFolders,
    @Inject(ModelLoader) private readonly loader: ModelLoader,
    @Inject(ModelEvents) private readonly events: ModelEvents,
  ) {}

  /** The engine a version runs on in this process. */
  engineOf(row: Pick<NewVersion, 'engine'>): string {
    return row.engine === 'native' ? 'native' : this.config.engine;
  }

  /** @throws what the loader throws (ConfigError, PluginError, the engine's errors), after reporting it. */
  async load(
    name: string,
    row: Pick<NewVersion, 'version' | 'config' | 'engine' | 'modelFile'>,
    deploy: ModelSource['deploy'] = 'always',
  ): Promise<LoadedModel> {
    const started = performance.now();
    const engine = this.engineOf(row);
    try {
      const loaded = await this.loader.load({
        ...sourceOf(name, { ...row, engine }, this.folders.versionDir(name, row.version)),
        deploy,
      });
      this.events.loaded(name, row.version, engine, started);
      return loaded;
    } catch (error) {
      this.events.loadFailed(name, row.version, error);
      throw error;
    }
  }
}
