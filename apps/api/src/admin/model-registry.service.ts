import { Inject, Injectable, Logger } from '@nestjs/common';
import { AiaaError, InvalidInputError, ModelNotFoundError, describeError } from '@aiaa/core';
import { AppConfig } from '../config/app-config';
import { RegistryLock } from '../database/registry-lock';
import type { LoadedModel } from '../runtime/loaded-model';
import { ModelLoader, type ModelEngine } from '../runtime/model-loader';
import { ModelRuntimeService } from '../runtime/model-runtime.service';
import type { PendingUpload } from '../upload/pending-upload';
import type { AdminCaller } from './admin.guard';
import { CONFIG_PART, DATA_PART } from './dto/model-parts.dto';
import type { ModelSummaryDto } from './dto/model-response.dto';
import type { ModelVersionDto, ModelVersionsDto } from './dto/model-version.dto';
import { ModelEvents } from './model-events';
import { CANONICAL_MODEL_FILE, ModelFolders, manifestOf } from './model-folders';
import { modelNameKey, validateModelName } from './model-name';
import { stageVersion, type ModelUpload } from './model-upload';
import type { ModelVersionEntity } from './model-version.entity';
import { CONFIG_FILE, fieldsOf } from './model-version';
import type { ModelEntity } from './model.entity';
import { ModelRepository, type NewVersion } from './model.repository';
import { RegistrySync } from './registry-sync.service';
import { VersionLoader } from './version-loader';
import { summaryOf, versionDtoOf } from './model-summary';

/** Options of `PUT /admin/model/{name}`. */
export interface PutModelOptions {
  /** Run on the in-process engine even when the server runs `--engine TRITON`. */
  readonly native?: boolean;
  /** Who uploaded it, recorded with the version. */
  readonly caller?: AdminCaller;
}

/**
 * The model registry: the rules of `/admin/model`. Every upload becomes a new immutable version in
 * `models/<name>/<N>/`, loaded from there before its row commits; exactly one version serves, and switching versions
 * loads the new one before the switch, so requests in flight finish on the version they started with. Older
 * inactive versions beyond `--keep_versions` are pruned. Boot reconciliation is {@link ModelBootService}. Throws
 * library errors, never HTTP ones.
 */
@Injectable()
export class ModelRegistryService {
  readonly #logger = new Logger('ModelRegistry');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ModelRepository) private readonly repository: ModelRepository,
    @Inject(ModelFolders) private readonly folders: ModelFolders,
    @Inject(ModelLoader) private readonly loader: ModelLoader,
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
    @Inject(VersionLoader) private readonly versionLoader: VersionLoader,
    @Inject(ModelEvents) private readonly events: ModelEvents,
    /** One write at a time per model, across instances on PostgreSQL (names that differ by case share a key). */
    @Inject(RegistryLock) private readonly lock: RegistryLock,
    @Inject(RegistrySync) private readonly sync: RegistrySync,
  ) {}

  /**
   * Adds a version of model `name` from a multipart upload (`config` + `data`, a zip bundle in `data`, or `config`
   * alone) and makes it active. The name is checked before the body is read.
   * @throws InvalidInputError / ConfigError / PluginError (400) with nothing changed; TooLargeError (413); a
   *   conflict (409) for a name that differs only by case from a registered one.
   */
  async put(name: string, upload: PendingUpload, options: PutModelOptions = {}): Promise<ModelSummaryDto> {
    validateModelName(name);
    await this.#refuseCaseTwin(name);
    const parts = await upload.receive();
    const received: ModelUpload = {
      dir: parts.dir,
      configText: parts.fields.get(CONFIG_PART),
      data: parts.files.find((file) => file.field === DATA_PART),
    };
    if (received.configText === undefined && received.data === undefined) {
      throw new InvalidInputError(`model upload: expected a '${CONFIG_PART}' part, a '${DATA_PART}' part or both`);
    }
    return this.lock.run(modelNameKey(name), () => this.#install(name, received, options));
  }

  /**
   * The stored `config_aiaa.json` of the active version (or of `version`), with the registry's `active_version` and
   * `versions` (the kept version numbers) added, as AIAA adds its own fields. @throws ModelNotFoundError
   */
  async getConfig(name: string, version?: number): Promise<Record<string, unknown>> {
    const model = await this.#model(name);
    const versions = await this.repository.listVersions(model.id);
    const row = this.#pick(model, versions, version ?? model.activeVersion);
    const config = JSON.parse(row.config) as Record<string, unknown>;
    return { ...config, active_version: model.activeVersion, versions: versions.map((v) => v.version) };
  }

  /** Every registered model, by name, described by its active version. */
  async list(): Promise<ModelSummaryDto[]> {
    const summaries: ModelSummaryDto[] = [];
    for (const { model, version } of await this.repository.listActive()) {
      const numbers = (await this.repository.listVersions(model.id)).map((v) => v.version);
      summaries.push(summaryOf(model, version, numbers, this.runtime.has(model.name), this.#loadedLabels(model.name)));
    }
    return summaries;
  }

  /** The kept versions of `name`, newest first. @throws ModelNotFoundError */
  async versions(name: string): Promise<ModelVersionsDto> {
    const model = await this.#model(name);
    const versions = await this.repository.listVersions(model.id);
    return {
      name: model.name,
      activeVersion: model.activeVersion,
      versions: versions.reverse().map((v) => versionDtoOf(v, model.activeVersion)),
    };
  }

  /**
   * Makes `version` serve: it is loaded first (the active version serves meanwhile), then the row switches and new
   * requests get it, while requests in flight finish on the version they started with. The active version again is
   * a no-op. @throws ModelNotFoundError; not-found for a version that is not kept; the load's errors (nothing changes)
   */
  async activate(name: string, version: number): Promise<ModelSummaryDto> {
    validateModelName(name);
    return this.lock.run(modelNameKey(name), async () => {
      const model = await this.#model(name);
      const versions = await this.repository.listVersions(model.id);
      const row = this.#pick(model, versions, version);
      if (version !== model.activeVersion || !this.runtime.has(name)) {
        const loaded = await this.versionLoader.load(name, row);
        try {
          await this.repository.activate(model.id, version);
        } catch (error) {
          await loaded.close().catch((closeError: unknown) => this.#logger.error(describeError(closeError)));
          throw error;
        }
        await this.runtime.replace(name, loaded);
        this.sync.served(name, row.id);
        this.events.activated(name, version, model.activeVersion, 'activated through the admin API');
      }
      return this.#summary(name);
    });
  }

  /** Removes one inactive version: its row, then its folder. @throws ModelNotFoundError; not-found; conflict if active */
  async deleteVersion(name: string, version: number): Promise<ModelVersionDto> {
    validateModelName(name);
    return this.lock.run(modelNameKey(name), async () => {
      const model = await this.#model(name);
      const row = this.#pick(model, await this.repository.listVersions(model.id), version);
      if (version === model.activeVersion) {
        throw new AiaaError(
          'conflict',
          `model '${name}': version ${version} is active; activate another version first (PUT /admin/model/${name}/active), or delete the model`,
        );
      }
      await this.#removeVersion(model, version, 'deleted through the admin API');
      return versionDtoOf(row, model.activeVersion);
    });
  }

  /** Unloads `name`, removes its rows and its folder with every version. @throws ModelNotFoundError */
  async delete(name: string): Promise<ModelSummaryDto> {
    validateModelName(name);
    return this.lock.run(modelNameKey(name), async () => {
      const summary = await this.#summary(name);
      const model = await this.#model(name);
      let trash: string | undefined;
      await this.repository.deleteModel(model.id, async () => {
        trash = await this.folders.moveToTrash(name);
      });
      await this.runtime.remove(name);
      this.sync.served(name, undefined);
      if (trash !== undefined) {
        await this.folders.emptyTrash(trash);
      }
      await this.loader.undeploy(name, summary.engine as ModelEngine).catch((error: unknown) => {
        // The registry no longer has the model; what is left on the engine is reported for the operator.
        this.#logger.warn(
          `model '${name}' deleted, but ${summary.engine} could not unload it: ${describeError(error)}`,
        );
      });
      this.events.modelDeleted(name);
      return { ...summary, loaded: false };
    });
  }

  async #install(name: string, upload: ModelUpload, options: PutModelOptions): Promise<ModelSummaryDto> {
    await this.#refuseCaseTwin(name);
    const staged = await stageVersion(name, upload, this.config.maxUploadBytes);
    const previous = await this.repository.findModel(name);
    const folders = await this.folders.versionNumbers(name);
    const number = Math.max(previous?.latestVersion ?? 0, ...folders) + 1;
    const row: NewVersion = {
      version: number,
      ...fieldsOf(name, staged.config),
      config: staged.configText,
      engine: options.native ? 'native' : this.config.engine,
      configFile: CONFIG_FILE,
      modelFile: staged.modelFile ?? null,
      sizeBytes: staged.sizeBytes,
      sha256: staged.sha256,
      origin: 'upload',
      clientAddress: options.caller?.address ?? null,
      clientAuth: options.caller?.auth ?? null,
      sourceFile: staged.sourceFile ?? null,
    };
    await this.folders.writeManifest(staged.dir, manifestOf(row, new Date()));
    await this.folders.install(name, number, staged.dir, upload.dir);
    let loaded: LoadedModel | undefined;
    let added: number;
    try {
      loaded = await this.versionLoader.load(name, row);
      added = (await this.repository.addVersion(name, row, { activate: true })).version.id;
    } catch (error) {
      await loaded?.close().catch((closeError: unknown) => this.#logger.error(describeError(closeError)));
      await this.folders.uninstall(name, number, staged.dir);
      throw namingSentFile(error, staged.modelFile, staged.sourceFile);
    }
    await this.runtime.replace(name, loaded);
    this.sync.served(name, added);
    this.events.activated(name, number, previous?.activeVersion, 'uploaded');
    await this.#prune(name);
    return this.#summary(name);
  }

  /** Removes the oldest inactive versions beyond `--keep_versions`. */
  async #prune(name: string): Promise<void> {
    const model = await this.repository.findModel(name);
    if (!model) {
      return;
    }
    const versions = await this.repository.listVersions(model.id);
    const excess = versions.length - this.config.keepVersions;
    const oldest = versions.filter((v) => v.version !== model.activeVersion).slice(0, Math.max(0, excess));
    for (const row of oldest) {
      await this.#removeVersion(model, row.version, `pruned (--keep_versions ${this.config.keepVersions})`);
    }
  }

  /** The row goes and the folder moves to a marked trash folder in one transaction; the trash empties after. */
  async #removeVersion(model: ModelEntity, version: number, why: string): Promise<void> {
    let trash: string | undefined;
    await this.repository.deleteVersion(model.id, version, async () => {
      trash = await this.folders.moveToTrash(model.name, version);
    });
    if (trash !== undefined) {
      await this.folders.emptyTrash(trash);
    }
    this.events.versionRemoved(model.name, version, why);
  }

  /** @throws a conflict when a registered model's name equals `name` but for case. */
  async #refuseCaseTwin(name: string): Promise<void> {
    const twin = await this.repository.findModelByKey(name);
    if (twin && twin.name !== name) {
      throw new AiaaError(
        'conflict',
        `model name '${name}' differs only by case from the registered model '${twin.name}': both would be one folder on a case-insensitive file system; use '${twin.name}' or another name`,
      );
    }
  }

  async #model(name: string): Promise<ModelEntity> {
    const model = await this.repository.findModel(validateModelName(name));
    if (!model) {
      throw new ModelNotFoundError(name);
    }
    return model;
  }

  #pick(model: ModelEntity, versions: readonly ModelVersionEntity[], version: number): ModelVersionEntity {
    const row = versions.find((v) => v.version === version);
    if (!row) {
      throw new AiaaError(
        'not-found',
        `model '${model.name}' has no version ${version} (kept: ${versions.map((v) => v.version).join(', ') || 'none'})`,
      );
    }
    return row;
  }

  async #summary(name: string): Promise<ModelSummaryDto> {
    const model = await this.#model(name);
    const versions = await this.repository.listVersions(model.id);
    return summaryOf(
      model,
      this.#pick(model, versions, model.activeVersion),
      versions.map((v) => v.version),
      this.runtime.has(name),
      this.#loadedLabels(name),
    );
  }

  /** The labels the loaded model serves with: its config's, or its model file's metadata when the config has none. */
  #loadedLabels(name: string): readonly string[] | undefined {
    return this.runtime.has(name) ? this.runtime.get(name).info.labels : undefined;
  }
}

/**
 * An upload's error names the stored model file (`model.onnx`); when the client sent it under another name, that
 * name is added, so the message points at the file the client has.
 */
function namingSentFile(error: unknown, stored: string | undefined, sent: string | undefined): unknown {
  if (!(error instanceof AiaaError) || sent === undefined || stored !== CANONICAL_MODEL_FILE || sent === stored) {
    return error;
  }
  return new AiaaError(error.kind, `${error.message} (the data part was sent as '${sent}')`, { cause: error });
}
