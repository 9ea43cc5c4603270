import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { exists } from './model-files';
import type { VersionOrigin } from './model-version.entity';

/** The record each uploaded version keeps beside its files, so that a workspace restored without its database loads. */
export const VERSION_MANIFEST = 'version.json';
/** Under which name an uploaded model file is stored, whatever the client called it (`model.pt` holding ONNX). */
export const CANONICAL_MODEL_FILE = 'model.onnx';
/** Written into an upload's temp folder before its version folder moves into `models/`: boot undoes it if uncommitted. */
export const PENDING_MARKER = 'pending.json';
/** Written into a trash folder under staging before a version or model moves there: boot puts it back if uncommitted. */
export const TRASH_MARKER = 'trash.json';

/** What {@link VERSION_MANIFEST} holds. */
export interface VersionManifest {
  readonly version: number;
  readonly origin: VersionOrigin;
  readonly modelFile: string | null;
  readonly engine: string;
  readonly sha256: string;
  readonly createdAt: string;
  readonly clientAddress?: string | null;
  readonly clientAuth?: string | null;
  readonly sourceFile?: string | null;
}

/** The manifest of a version row. */
export function manifestOf(
  row: Pick<
    VersionManifest,
    'version' | 'origin' | 'modelFile' | 'engine' | 'sha256' | 'clientAddress' | 'clientAuth' | 'sourceFile'
  >,
  createdAt: Date,
): VersionManifest {
  return {
    version: row.version,
    origin: row.origin,
    modelFile: row.modelFile,
    engine: row.engine,
    sha256: row.sha256,
    createdAt: createdAt.toISOString(),
    clientAddress: row.clientAddress ?? null,
    clientAuth: row.clientAuth ?? null,
    sourceFile: row.sourceFile ?? null,
  };
}

/** The markers of staging folders. */
export interface PendingMarker {
  readonly name: string;
  readonly version: number;
}
export interface TrashMarker {
  readonly name: string;
  /** Absent when the whole model folder was moved. */
  readonly version?: number;
}

/** A version folder's name: a number from 1, no leading zero (as Triton reads its version folders). */
const VERSION_FOLDER = /^[1-9][0-9]{0,8}$/;

/**
 * The files of the registry: `models/<name>/<version>/` folders, and the moves between them and staging that keep
 * them in step with the rows. Every move into or out of `models/` leaves a marker in staging first, so that boot
 * can tell a committed change from an interrupted one.
 */
@Injectable()
export class ModelFolders {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  modelDir(name: string): string {
    return path.join(this.config.modelsDir, name);
  }

  versionDir(name: string, version: number): string {
    return path.join(this.config.modelsDir, name, String(version));
  }

  /** `models/<name>/<version>`, as logs and messages name it. */
  shown(name: string, version?: number): string {
    return version === undefined ? `models/${name}` : `models/${name}/${version}`;
  }

  /** The version folders of a model, ascending; [] when it has no folder. */
  async versionNumbers(name: string): Promise<number[]> {
    const dir = this.modelDir(name);
    const entries = (await exists(dir)) ? await fs.promises.readdir(dir, { withFileTypes: true }) : [];
    return entries
      .filter((entry) => entry.isDirectory() && VERSION_FOLDER.test(entry.name))
      .map((entry) => Number(entry.name))
      .sort((a, b) => a - b);
  }

  /**
   * Moves a staged version folder to `models/<name>/<version>`, after writing a {@link PENDING_MARKER} into the
   * upload's folder. The caller commits the row, or calls {@link uninstall} on failure.
   */
  async install(name: string, version: number, staged: string, uploadDir: string): Promise<string> {
    const marker: PendingMarker = { name, version };
    await fs.promises.writeFile(path.join(uploadDir, PENDING_MARKER), JSON.stringify(marker));
    await fs.promises.mkdir(this.modelDir(name), { recursive: true });
    const dir = this.versionDir(name, version);
    await fs.promises.rename(staged, dir);
    return dir;
  }

  /** Undoes {@link install}: the folder goes back to staging, and the model folder goes if it is now empty. */
  async uninstall(name: string, version: number, staged: string): Promise<void> {
    const dir = this.versionDir(name, version);
    if (await exists(dir)) {
      await fs.promises.rename(dir, staged);
    }
    await this.removeIfEmpty(name);
  }

  /**
   * Moves a version folder (or with no version, the whole model folder) into a new trash folder under staging,
   * marked with what it was. Returns the trash folder, to remove once the rows are gone ({@link emptyTrash}).
   */
  async moveToTrash(name: string, version?: number): Promise<string> {
    const trash = path.join(this.config.stagingDir, `trash-${randomBytes(6).toString('hex')}`);
    await fs.promises.mkdir(trash, { recursive: true });
    const marker: TrashMarker = version === undefined ? { name } : { name, version };
    await fs.promises.writeFile(path.join(trash, TRASH_MARKER), JSON.stringify(marker));
    const source = version === undefined ? this.modelDir(name) : this.versionDir(name, version);
    if (await exists(source)) {
      await fs.promises.rename(source, path.join(trash, 'content'));
    }
    return trash;
  }

  async emptyTrash(trash: string): Promise<void> {
    await fs.promises.rm(trash, { recursive: true, force: true });
  }

  /**
   * Moves an incomplete version folder out of the version numbers (`models/<name>/.incomplete-<N>`), keeping what is
   * left of it for the operator.
   */
  async setAside(name: string, version: number): Promise<void> {
    const dir = this.versionDir(name, version);
    if (await exists(dir)) {
      await fs.promises.rename(dir, path.join(this.modelDir(name), `.incomplete-${version}-${Date.now()}`));
    }
  }

  /** Removes `models/<name>` when nothing is left in it. */
  async removeIfEmpty(name: string): Promise<void> {
    const dir = this.modelDir(name);
    if ((await exists(dir)) && (await fs.promises.readdir(dir)).length === 0) {
      await fs.promises.rmdir(dir);
    }
  }

  async writeManifest(dir: string, manifest: VersionManifest): Promise<void> {
    await fs.promises.writeFile(path.join(dir, VERSION_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  }

  /** The manifest of a version folder; undefined when it has none or it cannot be read. */
  async readManifest(dir: string): Promise<VersionManifest | undefined> {
    try {
      const parsed = JSON.parse(await fs.promises.readFile(path.join(dir, VERSION_MANIFEST), 'utf8')) as unknown;
      return typeof parsed === 'object' && parsed !== null ? (parsed as VersionManifest) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Whether a folder entry names a version folder. */
export function isVersionFolderName(entry: string): boolean {
  return VERSION_FOLDER.test(entry);
}
