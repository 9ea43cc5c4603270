import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { describeError } from '@aiaa/core';
import { AppConfig } from '../config/app-config';
import { ModelLoader } from '../runtime/model-loader';
import { ModelRuntimeService } from '../runtime/model-runtime.service';
import { exists, findModelFile, folderBytes, hashFile } from './model-files';
import { validateModelName } from './model-name';
import { CONFIG_FILE, fieldsOf, parseConfigText, sha256Of, sourceOf } from './model-version';
import type { ModelEntity } from './model.entity';
import { ModelRepository } from './model.repository';

/**
 * Boot of the registry, before the server listens: staging left by interrupted uploads is cleared (a version moved
 * aside is put back), rows whose files vanished are dropped, folders of `<workspace>/models` with a config but no row
 * (the demo models) are registered, and every model is loaded; a model that fails is reported, not fatal.
 */
@Injectable()
export class ModelBootService implements OnApplicationBootstrap {
  readonly #logger = new Logger('ModelRegistry');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ModelRepository) private readonly repository: ModelRepository,
    @Inject(ModelLoader) private readonly loader: ModelLoader,
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
  ) {}

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
          ...fieldsOf(entry, config),
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

  /** Whether `folder` holds the files of `name`'s registry row (its model file's sha256, or its config text). */
  async #rowDescribes(name: string, folder: string): Promise<boolean> {
    const row = await this.repository.findByName(name);
    if (!row) {
      return false;
    }
    try {
      return row.modelFile
        ? (await hashFile(path.join(folder, row.modelFile))) === row.sha256
        : (await fs.promises.readFile(path.join(folder, CONFIG_FILE), 'utf8')) === row.config;
    } catch {
      return false;
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
        const target = path.join(this.config.modelsDir, validateModelName(name));
        if (!(await exists(target))) {
          await fs.promises.rename(path.join(dir, 'previous'), target);
          this.#logger.warn(`models/${name}: restored the version an interrupted upload had moved aside`);
        } else if (
          (await this.#rowDescribes(name, path.join(dir, 'previous'))) &&
          !(await this.#rowDescribes(name, target))
        ) {
          // Stopped after the new folder moved in but before its row committed: the row still names the previous
          // version, so that one goes back (the uncommitted one is removed with the rest of staging).
          await fs.promises.rename(target, path.join(dir, 'uncommitted'));
          await fs.promises.rename(path.join(dir, 'previous'), target);
          this.#logger.warn(`models/${name}: an upload stopped before its commit; restored the registered version`);
        }
      }
      this.#logger.warn(`staging/${entry}: left by an interrupted upload, removed`);
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }
}
