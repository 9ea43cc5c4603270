import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigError, InvalidInputError, ModelNotFoundError, describeError } from '@aiaa/core';
import { AppConfig } from '../config/env.dto';
import type { LoadedModel } from '../runtime/loaded-model';
import { ModelLoader, type ModelEngine, type ModelSource } from '../runtime/model-loader';
import { ModelRuntimeService } from '../runtime/model-runtime.service';
import type { ModelSummaryDto } from './dto/model-response.dto';
import { extractBundle, isZipFile } from './model-bundle';
import { exists, findModelFile, folderBytes, hashFile } from './model-files';
import { validateModelName } from './model-name';
import type { ModelEntity } from './model.entity';
import { ModelRepository, type ModelVersion } from './model.repository';
import { receiveModelUpload, type ReceivedUpload } from './model-upload';

/** The config file of every model folder. */
export const CONFIG_FILE = 'config_aiaa.json';
/** Largest accepted `config` part. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Options of `PUT /admin/model/{name}`. */
export interface PutModelOptions {
  /** Run on the in-process engine even when the server runs `--engine TRITON`. */
  readonly native?: boolean;
}

/**
 * The model registry: the rules of `/admin/model`. An upload is staged, validated and loaded at its final place
 * before the registry row commits; the previous version keeps serving until the new one is loaded, and is restored
 * when anything fails. At boot the registry and `<workspace>/models` are reconciled and every model is loaded.
 * Throws library errors, never HTTP ones.
 */
@Injectable()
export class ModelRegistryService implements OnApplicationBootstrap {
  readonly #logger = new Logger('ModelRegistry');
  /** One write at a time per model name (PUT and DELETE of the same model queue). */
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ModelRepository) private readonly repository: ModelRepository,
    @Inject(ModelLoader) private readonly loader: ModelLoader,
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
  ) {}

  /**
   * Installs or replaces model `name` from a multipart upload (`config` + `data`, a zip bundle in `data`, or `config`
   * alone).
   * @throws InvalidInputError / ConfigError / PluginError (400) with nothing changed; TooLargeError (413).
   */
  async put(name: string, req: IncomingMessage, options: PutModelOptions = {}): Promise<ModelSummaryDto> {
    validateModelName(name);
    const upload = await receiveModelUpload(req, this.config.stagingDir, {
      maxFileBytes: this.config.maxUploadBytes,
      maxConfigBytes: MAX_CONFIG_BYTES,
    });
    try {
      return await this.#withLock(name, () => this.#install(name, upload, options));
    } finally {
      await fs.promises.rm(upload.dir, { recursive: true, force: true });
    }
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
    return this.#withLock(name, async () => {
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

  /** Reconciles the registry with `<workspace>/models` and loads every model; a failing model is reported. */
  async onApplicationBootstrap(): Promise<void> {
    await this.#clearStaging();
    const rows = await this.repository.list();
    const known = new Set<string>();
    for (const row of rows) {
      const dir = path.join(this.config.workspace, row.dir);
      const missing = [row.configFile, row.modelFile].filter((f): f is string => f !== null);
      const vanished = [];
      for (const file of missing) {
        if (!(await exists(path.join(dir, file)))) {
          vanished.push(file);
        }
      }
      if (vanished.length > 0) {
        this.#logger.warn(
          `model '${row.name}': ${row.dir}/${vanished.join(', ')} vanished; its registry row is dropped`,
        );
        await this.repository.deleteByName(row.name);
        continue;
      }
      known.add(row.name);
      await this.#loadRegistered(row);
    }
    await this.#registerFolders(known);
  }

  async #install(name: string, upload: ReceivedUpload, options: PutModelOptions): Promise<ModelSummaryDto> {
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
      ...this.#fieldsOf(name, config),
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

  /**
   * Loads a registered model on the engine of this start (`--engine`), as AIAA picks the config's section at start;
   * a model uploaded with `?native=true` stays native. A changed engine is written back to its row.
   */
  async #loadRegistered(registered: ModelEntity): Promise<void> {
    let row = registered;
    try {
      const dir = path.join(this.config.workspace, row.dir);
      const engine = row.engine === 'native' ? 'native' : this.config.engine;
      if (engine !== row.engine) {
        this.#logger.log(`model '${row.name}': registered on ${row.engine}, loaded on ${engine} (--engine)`);
        row = await this.repository.upsertVersion({ ...row, engine });
      }
      const loaded = await this.loader.load(sourceOf(row, dir));
      await this.runtime.replace(row.name, loaded);
      this.#logger.log(`model '${row.name}' loaded (${row.engine})`);
    } catch (error) {
      this.#logger.error(`model '${row.name}' failed to load and is not served: ${describeError(error)}`);
    }
  }

  /** Folders of `<workspace>/models` with a config but no row (demo models, copied folders) are registered. */
  async #registerFolders(known: ReadonlySet<string>): Promise<void> {
    const entries = (await exists(this.config.modelsDir)) ? await fs.promises.readdir(this.config.modelsDir) : [];
    for (const entry of entries.sort()) {
      const dir = path.join(this.config.modelsDir, entry);
      if (known.has(entry) || entry.startsWith('.') || !(await fs.promises.stat(dir)).isDirectory()) {
        continue;
      }
      const configPath = path.join(dir, CONFIG_FILE);
      try {
        validateModelName(entry);
        if (!(await exists(configPath))) {
          this.#logger.warn(`models/${entry} has no ${CONFIG_FILE} and no registry row: left alone, not served`);
          continue;
        }
        const configText = await fs.promises.readFile(configPath, 'utf8');
        const config = parseConfigText(configText);
        const modelFile = await findModelFile(dir, config);
        const row = await this.repository.upsertVersion({
          ...this.#fieldsOf(entry, config),
          config: configText,
          engine: this.config.engine,
          dir: path.relative(this.config.workspace, dir),
          configFile: CONFIG_FILE,
          modelFile: modelFile ?? null,
          sizeBytes: await folderBytes(dir),
          sha256: modelFile ? await hashFile(path.join(dir, modelFile)) : sha256Of(configText),
        });
        this.#logger.log(`models/${entry} registered from its folder`);
        await this.#loadRegistered(row);
      } catch (error) {
        this.#logger.error(`models/${entry} could not be registered: ${describeError(error)}`);
      }
    }
  }

  /** Removes what interrupted uploads left in staging, first putting back a previous version an upload moved aside. */
  async #clearStaging(): Promise<void> {
    const root = this.config.stagingDir;
    for (const entry of (await exists(root)) ? await fs.promises.readdir(root) : []) {
      const dir = path.join(root, entry);
      const marker = path.join(dir, 'restore.json');
      if ((await exists(marker)) && (await exists(path.join(dir, 'previous')))) {
        const { name } = JSON.parse(await fs.promises.readFile(marker, 'utf8')) as { name: string };
        const target = this.#dirOf(validateModelName(name));
        if (!(await exists(target))) {
          await fs.promises.rename(path.join(dir, 'previous'), target);
          this.#logger.warn(`models/${name}: restored the version an interrupted upload had moved aside`);
        }
      }
      this.#logger.warn(`staging/${entry}: left by an interrupted upload, removed`);
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  #fieldsOf(
    name: string,
    config: Record<string, unknown>,
  ): Pick<ModelVersion, 'name' | 'type' | 'version' | 'labels' | 'description'> {
    const labels = Array.isArray(config['labels']) ? config['labels'].map(String) : [];
    return {
      name,
      type: typeof config['type'] === 'string' ? config['type'] : 'others',
      version: config['version'] === undefined ? '1' : String(config['version']),
      labels,
      description: typeof config['description'] === 'string' ? config['description'] : '',
    };
  }

  #summary(row: ModelEntity): ModelSummaryDto {
    return {
      name: row.name,
      type: row.type,
      version: row.version,
      labels: row.labels,
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

  async #withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.#locks.set(name, next);
    try {
      return await next;
    } finally {
      if (this.#locks.get(name) === next) {
        this.#locks.delete(name);
      }
    }
  }
}

/** What the loader needs to build a registered (or about to be registered) version from its folder. */
function sourceOf(version: ModelVersion, dir: string): ModelSource {
  return {
    name: version.name,
    config: JSON.parse(version.config) as unknown,
    dir,
    engine: version.engine as ModelEngine,
    ...(version.modelFile ? { modelFile: path.join(dir, version.modelFile) } : {}),
  };
}

/** Parses the uploaded config text. @throws ConfigError naming `config` */
function parseConfigText(text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('config', `not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError('config', `expected a JSON object, got ${Array.isArray(json) ? 'an array' : typeof json}`);
  }
  return json as Record<string, unknown>;
}

/** The client's file name when it is a plain, safe base name (`model.onnx`); undefined otherwise. */
function safeFileName(filename: string | undefined): string | undefined {
  const base = filename === undefined ? undefined : path.basename(filename.replace(/\\/g, '/'));
  return base !== undefined && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(base) && base !== CONFIG_FILE
    ? base
    : undefined;
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
