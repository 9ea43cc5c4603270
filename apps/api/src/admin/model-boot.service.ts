import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InvalidInputError, describeError } from '@aiaa/core';
import { AppConfig } from '../config/app-config';
import { RegistryLock } from '../database/registry-lock';
import { ModelRuntimeService } from '../runtime/model-runtime.service';
import { moveSingleVersionFolders } from './legacy-layout';
import { ModelEvents } from './model-events';
import { exists, findModelFile, folderBytes, hashFile } from './model-files';
import { VERSION_MANIFEST, ModelFolders, manifestOf } from './model-folders';
import { modelNameKey, validateModelName } from './model-name';
import type { ModelVersionEntity } from './model-version.entity';
import { CONFIG_FILE, fieldsOf, parseConfigText, sha256Of } from './model-version';
import type { ModelEntity } from './model.entity';
import { ModelRepository, type NewVersion } from './model.repository';
import { RegistrySync } from './registry-sync.service';
import { recoverStaging } from './staging-recovery';
import { VersionLoader } from './version-loader';

/**
 * Boot of the registry, before the server listens: what interrupted writes left in staging is undone or finished,
 * folders of the single-version layout move to version 1, rows whose files vanished are dropped (a model whose active
 * version went serves its newest remaining one), version folders without rows are registered (the demo models, a
 * workspace restored without its database), and every model's active version is loaded; a failure is reported, not
 * fatal.
 */
@Injectable()
export class ModelBootService implements OnApplicationBootstrap {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ModelRepository) private readonly repository: ModelRepository,
    @Inject(ModelFolders) private readonly folders: ModelFolders,
    @Inject(VersionLoader) private readonly versionLoader: VersionLoader,
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
    @Inject(ModelEvents) private readonly events: ModelEvents,
    @Inject(RegistryLock) private readonly lock: RegistryLock,
    @Inject(RegistrySync) private readonly sync: RegistrySync,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await recoverStaging(this.config.stagingDir, this.repository, this.folders, this.events);
    await moveSingleVersionFolders(this.config.modelsDir, this.folders, this.events);
    const registered = new Set<string>();
    for (const listed of await this.repository.listModels()) {
      // Under the model's lock: another instance sharing the workspace may be writing it right now.
      const kept = await this.lock.run(modelNameKey(listed.name), async () => {
        const model = await this.repository.findModel(listed.name);
        return model !== null && (await this.#reconcile(model));
      });
      if (kept) {
        registered.add(listed.name);
      }
    }
    await this.#registerFolders(registered);
    for (const { model, version } of await this.repository.listActive()) {
      await this.#serve(model, version);
    }
    this.sync.start();
  }

  /**
   * Sets a model's rows right against its folders: a version whose files vanished loses its row and its folder moves
   * aside (`.incomplete-<N>`, kept for the operator), a version folder without a row is registered. False when no
   * version is left (the model's row is dropped).
   */
  async #reconcile(model: ModelEntity): Promise<boolean> {
    const kept: number[] = [];
    for (const row of await this.repository.listVersions(model.id)) {
      const dir = this.folders.versionDir(model.name, row.version);
      const files = [row.configFile, ...(row.modelFile ? [row.modelFile] : [])];
      const vanished: string[] = [];
      for (const file of files) {
        if (!(await exists(path.join(dir, file)))) {
          vanished.push(file);
        }
      }
      if (vanished.length > 0) {
        const shown = vanished.map((f) => `${this.folders.shown(model.name, row.version)}/${f}`).join(', ');
        this.events.repaired(model.name, `${shown} vanished; its registry row is dropped`, row.version);
        await this.repository.deleteVersion(model.id, row.version);
        await this.folders.setAside(model.name, row.version);
        continue;
      }
      kept.push(row.version);
      if (row.origin === 'migrated' && !(await exists(path.join(dir, VERSION_MANIFEST)))) {
        await this.folders.writeManifest(dir, manifestOf(row, row.createdAt));
      }
    }
    for (const number of await this.folders.versionNumbers(model.name)) {
      if (!kept.includes(number) && (await this.#registerVersion(model.name, number, false))) {
        kept.push(number);
      }
    }
    if (kept.length === 0) {
      this.events.repaired(model.name, 'no version is left on disk; its registry row is dropped');
      await this.repository.deleteModel(model.id);
      return false;
    }
    if (!kept.includes(model.activeVersion)) {
      const newest = Math.max(...kept);
      await this.repository.activate(model.id, newest);
      this.events.activated(model.name, newest, model.activeVersion, `version ${model.activeVersion} vanished`);
    }
    return true;
  }

  /** Model folders without rows: their version folders are registered, the highest one active. */
  async #registerFolders(registered: ReadonlySet<string>): Promise<void> {
    const entries = (await exists(this.config.modelsDir)) ? await fs.promises.readdir(this.config.modelsDir) : [];
    for (const entry of entries.sort()) {
      const dir = path.join(this.config.modelsDir, entry);
      if (registered.has(entry) || entry.startsWith('.') || !(await fs.promises.stat(dir)).isDirectory()) {
        continue;
      }
      try {
        validateModelName(entry);
      } catch (error) {
        this.events.refused(`models/${entry}`, `${describeError(error)}: left alone, not served`);
        continue;
      }
      const twin = await this.repository.findModelByKey(entry);
      if (twin) {
        this.events.refused(
          `models/${entry}`,
          `differs only by case from model '${twin.name}': left alone, not served`,
        );
        continue;
      }
      await this.lock.run(modelNameKey(entry), () => this.#registerModelFolder(entry));
    }
  }

  /** Registers the version folders of `models/<entry>`, unless another instance just did. */
  async #registerModelFolder(entry: string): Promise<void> {
    if (await this.repository.findModel(entry)) {
      return;
    }
    const numbers = await this.folders.versionNumbers(entry);
    if (numbers.length === 0) {
      this.events.refused(
        `models/${entry}`,
        `has no ${CONFIG_FILE} and no version folder (models/${entry}/<N>/${CONFIG_FILE}): left alone, not served`,
      );
      return;
    }
    for (const number of numbers) {
      await this.#registerVersion(entry, number, true);
    }
  }

  /** Registers `models/<name>/<number>` from its files (and its manifest, when it was uploaded); false if refused. */
  async #registerVersion(name: string, number: number, activate: boolean): Promise<boolean> {
    const dir = this.folders.versionDir(name, number);
    try {
      const row = await this.#versionFromFolder(name, number, dir);
      await this.repository.addVersion(name, row, { activate });
      this.events.registered(name, number, this.folders.shown(name, number));
      return true;
    } catch (error) {
      this.events.refused(this.folders.shown(name, number), `could not be registered: ${describeError(error)}`);
      return false;
    }
  }

  async #versionFromFolder(name: string, number: number, dir: string): Promise<NewVersion> {
    const configPath = path.join(dir, CONFIG_FILE);
    if (!(await exists(configPath))) {
      throw new InvalidInputError(`no ${CONFIG_FILE}`);
    }
    const configText = await fs.promises.readFile(configPath, 'utf8');
    const config = parseConfigText(configText);
    const manifest = await this.folders.readManifest(dir);
    const recorded = manifest?.modelFile ?? undefined;
    const modelFile =
      recorded !== undefined && (await exists(path.join(dir, recorded))) ? recorded : await findModelFile(dir, config);
    const manifestBytes = manifest ? (await fs.promises.stat(path.join(dir, VERSION_MANIFEST))).size : 0;
    return {
      version: number,
      ...fieldsOf(name, config),
      config: configText,
      engine: manifest?.engine === 'native' ? 'native' : this.config.engine,
      configFile: CONFIG_FILE,
      modelFile: modelFile ?? null,
      sizeBytes: (await folderBytes(dir)) - manifestBytes,
      sha256: modelFile ? await hashFile(path.join(dir, modelFile)) : sha256Of(configText),
      origin: manifest?.origin === 'migrated' || manifest?.origin === 'upload' ? manifest.origin : 'folder',
      clientAddress: manifest?.clientAddress ?? null,
      clientAuth: manifest?.clientAuth ?? null,
      sourceFile: manifest?.sourceFile ?? null,
      ...(manifest?.createdAt ? { createdAt: new Date(manifest.createdAt) } : {}),
    };
  }

  /** Loads a model's active version and serves it; a failure is reported and the model is not served. */
  async #serve(model: ModelEntity, version: ModelVersionEntity): Promise<void> {
    const engine = this.versionLoader.engineOf(version);
    if (engine !== version.engine) {
      this.events.repaired(
        model.name,
        `registered on ${version.engine}, loaded on ${engine} (--engine)`,
        version.version,
      );
      await this.repository.setEngine(version.id, engine);
    }
    // Recorded whatever the outcome: a version that fails to load is not retried until its row changes.
    this.sync.served(model.name, version.id);
    try {
      // Beside other instances, a model Triton already serves was deployed by one of them: this one attaches.
      const deploy = this.config.sharedDatabase ? 'unless-ready' : 'always';
      await this.runtime.replace(model.name, await this.versionLoader.load(model.name, { ...version, engine }, deploy));
    } catch {
      // Reported by the loader; the others still load.
    }
  }
}
