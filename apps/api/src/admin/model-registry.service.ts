import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InvalidInputError, ModelNotFoundError, Serializer, describeError } from '@aiaa/core';
import { AppConfig } from '../config/app-config';
import type { LoadedModel } from '../runtime/loaded-model';
import { ModelLoader, type ModelEngine } from '../runtime/model-loader';
import { ModelRuntimeService } from '../runtime/model-runtime.service';
import type { ModelSummaryDto } from './dto/model-response.dto';
import { extractBundle, isZipFile } from './model-bundle';
import { exists, folderBytes, hashFile } from './model-files';
import { validateModelName } from './model-name';
import type { ModelEntity } from './model.entity';
import { ModelRepository, type ModelVersion } from './model.repository';
import type { PendingUpload } from '../upload/pending-upload';
import type { UploadedFile } from '../upload/upload-policy';
import { CONFIG_PART, DATA_PART } from './dto/model-parts.dto';
import { CONFIG_FILE, fieldsOf, parseConfigText, safeFileName, sha256Of, sourceOf } from './model-version';

/** The parts of a model upload: `config` (JSON text, from a file or a field) and `data` (the model file or a zip). */
interface ModelUpload {
  /** The upload's temp folder under `<workspace>/staging`: the model is staged there, the previous one set aside. */
  readonly dir: string;
  readonly configText: string | undefined;
  readonly data: UploadedFile | undefined;
}

/** Options of `PUT /admin/model/{name}`. */
export interface PutModelOptions {
  /** Run on the in-process engine even when the server runs `--engine TRITON`. */
  readonly native?: boolean;
}

/**
 * The model registry: the rules of `/admin/model`. An upload is staged, validated and loaded at its final place
 * before the registry row commits; the previous version keeps serving until the new one is loaded, and is restored
 * when anything fails (boot reconciliation is {@link ModelBootService}). Throws library errors, never HTTP ones.
 */
@Injectable()
export class ModelRegistryService {
  readonly #logger = new Logger('ModelRegistry');
  /** One write at a time per model name (PUT and DELETE of the same model queue). */
  readonly #writes = new Serializer();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ModelRepository) private readonly repository: ModelRepository,
    @Inject(ModelLoader) private readonly loader: ModelLoader,
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
  ) {}

  /**
   * Installs or replaces model `name` from a multipart upload (`config` + `data`, a zip bundle in `data`, or `config`
   * alone). The name is checked before the body is read.
   * @throws InvalidInputError / ConfigError / PluginError (400) with nothing changed; TooLargeError (413).
   */
  async put(name: string, upload: PendingUpload, options: PutModelOptions = {}): Promise<ModelSummaryDto> {
    validateModelName(name);
    const parts = await upload.receive();
    const received: ModelUpload = {
      dir: parts.dir,
      configText: parts.fields.get(CONFIG_PART),
      data: parts.files.find((file) => file.field === DATA_PART),
    };
    if (received.configText === undefined && received.data === undefined) {
      throw new InvalidInputError(`model upload: expected a '${CONFIG_PART}' part, a '${DATA_PART}' part or both`);
    }
    return this.#writes.run(name, () => this.#install(name, received, options));
  }

  /** The stored `config_aiaa.json` of `name`. @throws ModelNotFoundError */
  async getConfig(name: string): Promise<unknown> {
    const row = await this.repository.findByName(validateModelName(name));
    if (!row) {
      throw new ModelNotFoundError(name);
    }
    return JSON.parse(row.config) as unknown;
  }

  /** Every registered model, by name. */
  async list(): Promise<ModelSummaryDto[]> {
    return (await this.repository.list()).map((row) => this.#summary(row));
  }

  /** Unloads `name`, removes its row and its folder. @throws ModelNotFoundError */
  async delete(name: string): Promise<ModelSummaryDto> {
    validateModelName(name);
    return this.#writes.run(name, async () => {
      const row = await this.repository.findByName(name);
      if (!row) {
        throw new ModelNotFoundError(name);
      }
      const trash = path.join(this.config.stagingDir, `deleted-${name}-${Date.now()}`);
      const dir = path.join(this.config.workspace, row.dir);
      await this.repository.deleteByName(name, async () => {
        if (await exists(dir)) {
          await fs.promises.mkdir(this.config.stagingDir, { recursive: true });
          await fs.promises.rename(dir, trash);
        }
      });
      await this.runtime.remove(name);
      await fs.promises.rm(trash, { recursive: true, force: true });
      await this.loader.undeploy(name, row.engine as ModelEngine).catch((error: unknown) => {
        // The registry no longer has the model; what is left on the engine is reported for the operator.
        this.#logger.warn(`model '${name}' deleted, but ${row.engine} could not unload it: ${describeError(error)}`);
      });
      this.#logger.log(`model '${name}' deleted`);
      return { ...this.#summary(row), loaded: false };
    });
  }

  async #install(name: string, upload: ModelUpload, options: PutModelOptions): Promise<ModelSummaryDto> {
    const staged = path.join(upload.dir, 'model');
    await fs.promises.mkdir(staged);
    let configText = upload.configText;
    let modelFile: string | undefined;
    let sha256: string | undefined;
    if (upload.data) {
      if (await isZipFile(upload.data.path)) {
        const bundle = await extractBundle(upload.data.path, staged, this.config.maxUploadBytes);
        configText ??= bundle.configText;
        modelFile = bundle.modelFile;
      } else {
        modelFile = safeFileName(upload.data.filename) ?? 'model.onnx';
        await fs.promises.rename(upload.data.path, path.join(staged, modelFile));
        sha256 = upload.data.sha256;
      }
    }
    if (configText === undefined) {
      throw new InvalidInputError(
        `model '${name}': no config: send a 'config' part (config_aiaa.json) or a zip bundle holding config/config_aiaa.json`,
      );
    }
    const config = parseConfigText(configText);
    await fs.promises.writeFile(path.join(staged, CONFIG_FILE), configText);
    sha256 ??= modelFile ? await hashFile(path.join(staged, modelFile)) : sha256Of(configText);
    const version: ModelVersion = {
      ...fieldsOf(name, config),
      config: configText,
      engine: options.native ? 'native' : this.config.engine,
      dir: path.relative(this.config.workspace, this.#dirOf(name)),
      configFile: CONFIG_FILE,
      modelFile: modelFile ?? null,
      sizeBytes: await folderBytes(staged),
      sha256,
    };
    const loaded = await this.#swapIn(name, staged, path.join(upload.dir, 'previous'), version);
    await this.runtime.replace(name, loaded);
    this.#logger.log(
      `model '${name}' version ${version.version} installed (${version.engine}, ${version.sizeBytes} bytes)`,
    );
    const row = await this.repository.findByName(name);
    if (!row) {
      throw new ModelNotFoundError(name);
    }
    return this.#summary(row);
  }

  /**
   * Moves the staged folder to `models/<name>` (the previous one aside), loads the model there and commits the row;
   * on any failure the previous folder is put back and nothing is committed. The previous model keeps serving from
   * memory throughout.
   */
  async #swapIn(name: string, staged: string, previous: string, version: ModelVersion): Promise<LoadedModel> {
    const dir = this.#dirOf(name);
    const hadPrevious = await exists(dir);
    if (hadPrevious) {
      await fs.promises.writeFile(path.join(path.dirname(previous), 'restore.json'), JSON.stringify({ name }));
      await fs.promises.rename(dir, previous);
    }
    let loaded: LoadedModel | undefined;
    try {
      await fs.promises.rename(staged, dir);
      loaded = await this.loader.load(sourceOf(version, dir));
      await this.repository.upsertVersion(version);
      return loaded;
    } catch (error) {
      await loaded?.close().catch((closeError: unknown) => this.#logger.error(describeError(closeError)));
      if (await exists(dir)) {
        await fs.promises.rename(dir, staged);
      }
      if (hadPrevious) {
        await fs.promises.rename(previous, dir);
      }
      throw error;
    }
  }

  #summary(row: ModelEntity): ModelSummaryDto {
    return {
      name: row.name,
      type: row.type,
      version: row.version,
      // A loaded model may name its labels in its model file's metadata rather than in its config.
      labels: this.runtime.has(row.name) ? [...this.runtime.get(row.name).info.labels] : row.labels,
      description: row.description,
      engine: row.engine,
      modelFile: row.modelFile ?? undefined,
      sizeBytes: row.sizeBytes,
      sha256: row.sha256,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      loaded: this.runtime.has(row.name),
    };
  }

  #dirOf(name: string): string {
    return path.join(this.config.modelsDir, name);
  }
}
