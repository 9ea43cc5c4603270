import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AiaaError, describeError } from '@aiaa/core';
import { AppConfig } from '../../config/app-config';
import {
  Datastore,
  type DatastoreFile,
  type DatastoreImage,
  type DatastoreLabel,
  type IncomingFile,
  type OpenedImage,
} from './datastore';
import type { DatastoreImageEntity } from './datastore-image.entity';
import type { DatastoreLabelEntity } from './datastore-label.entity';
import { DatastoreNotFoundError } from './datastore-not-found.error';
import { DatastoreRepository } from './datastore.repository';

/**
 * The datastore in a folder of the workspace, `<workspace>/datastore`: image `id` is the file `<id><extension>`,
 * its `tag` label `labels/<tag>/<id><extension>`, as MONAI Label's local datastore lays them out; the rows (ids,
 * checksums, what clients said) live in the registry database. A file is moved into place inside the transaction
 * that writes its row, so a failed move leaves no row; a replaced file with another suffix is removed after.
 */
@Injectable()
export class LocalDatastore extends Datastore {
  readonly #logger = new Logger(LocalDatastore.name);
  readonly name = 'local';
  readonly description = 'Images and labels in the server workspace';
  readonly imagesDir: string;
  readonly labelsDir: string;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(DatastoreRepository) private readonly rows: DatastoreRepository,
  ) {
    super();
    this.imagesDir = path.join(config.workspace, 'datastore');
    this.labelsDir = path.join(this.imagesDir, 'labels');
  }

  async list(): Promise<DatastoreImage[]> {
    const [images, labels] = await Promise.all([this.rows.listImages(), this.labelsByImage()]);
    return images.map((row) => this.#image(row, labels.get(row.name) ?? {}));
  }

  /** The labels stored here, by image id (for images stored here or elsewhere). */
  async labelsByImage(): Promise<Map<string, Record<string, DatastoreLabel>>> {
    const byImage = new Map<string, Record<string, DatastoreLabel>>();
    for (const label of await this.rows.listLabels()) {
      byImage.set(label.imageName, { ...byImage.get(label.imageName), [label.tag]: toLabel(label) });
    }
    return byImage;
  }

  /** Whether image `id` is stored here. */
  async hasImage(id: string): Promise<boolean> {
    return (await this.rows.findImage(id)) !== null;
  }

  async image(id: string): Promise<DatastoreImage> {
    const row = await this.#findImage(id);
    return this.#image(row, await this.labelsOf(id));
  }

  /** The labels stored here for image `id` (stored here or elsewhere), by tag. */
  async labelsOf(id: string): Promise<Record<string, DatastoreLabel>> {
    return Object.fromEntries((await this.rows.listLabels(id)).map((label) => [label.tag, toLabel(label)]));
  }

  async openImage(id: string): Promise<OpenedImage> {
    const row = await this.#findImage(id);
    return { kind: 'file', id, path: this.#imagePath(id, row.extension), name: `${id}${row.extension}` };
  }

  async addImage(id: string, file: IncomingFile, info: Record<string, unknown>): Promise<DatastoreImage> {
    const target = this.#imagePath(id, file.extension);
    await fs.mkdir(this.imagesDir, { recursive: true });
    const row = { name: id, extension: file.extension, sizeBytes: file.bytes, sha256: file.sha256, info };
    const before = await this.rows.upsertImage(row, () => fs.rename(file.path, target));
    if (before && before.extension !== file.extension) {
      await this.#removeFile(this.#imagePath(id, before.extension));
    }
    return this.image(id);
  }

  async removeImage(id: string): Promise<void> {
    const { image, labels } = await this.rows.deleteImage(id, async () => undefined);
    if (!image) {
      throw new DatastoreNotFoundError(`image '${id}'`);
    }
    await this.#removeFile(this.#imagePath(id, image.extension));
    for (const label of labels) {
      await this.#removeFile(this.#labelPath(id, label.tag, label.extension));
    }
  }

  async saveLabel(id: string, tag: string, file: IncomingFile, info: Record<string, unknown>): Promise<DatastoreLabel> {
    await this.#findImage(id);
    return this.storeLabel(id, tag, file, info);
  }

  /** {@link saveLabel} for an image that lives elsewhere (a PACS series): the caller checked that it exists. */
  async storeLabel(
    id: string,
    tag: string,
    file: IncomingFile,
    info: Record<string, unknown>,
  ): Promise<DatastoreLabel> {
    const target = this.#labelPath(id, tag, file.extension);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const row = { imageName: id, tag, extension: file.extension, sizeBytes: file.bytes, sha256: file.sha256, info };
    const before = await this.rows.upsertLabel(row, () => fs.rename(file.path, target));
    if (before && before.extension !== file.extension) {
      await this.#removeFile(this.#labelPath(id, tag, before.extension));
    }
    const saved = await this.rows.findLabel(id, tag);
    if (!saved) {
      throw new AiaaError('internal', `datastore: label '${tag}' of image '${id}' vanished after it was saved`);
    }
    return toLabel(saved);
  }

  async labelFile(id: string, tag: string): Promise<DatastoreFile> {
    const row = await this.rows.findLabel(id, tag);
    if (!row) {
      throw new DatastoreNotFoundError(`label '${tag}' of image '${id}'`);
    }
    return { path: this.#labelPath(id, tag, row.extension), name: `${id}${row.extension}` };
  }

  async removeLabel(id: string, tag: string | undefined): Promise<void> {
    const removed = await this.rows.deleteLabels(id, tag);
    if (removed.length === 0) {
      throw new DatastoreNotFoundError(
        tag === undefined ? `labels of image '${id}'` : `label '${tag}' of image '${id}'`,
      );
    }
    for (const label of removed) {
      await this.#removeFile(this.#labelPath(id, label.tag, label.extension));
    }
  }

  async #findImage(id: string): Promise<DatastoreImageEntity> {
    const row = await this.rows.findImage(id);
    if (!row) {
      throw new DatastoreNotFoundError(`image '${id}'`);
    }
    return row;
  }

  #image(row: DatastoreImageEntity, labels: Readonly<Record<string, DatastoreLabel>>): DatastoreImage {
    return {
      id: row.name,
      extension: row.extension,
      sizeBytes: row.sizeBytes,
      sha256: row.sha256,
      info: row.info,
      createdAt: row.createdAt,
      path: this.#imagePath(row.name, row.extension),
      labels,
    };
  }

  #imagePath(id: string, extension: string): string {
    return inside(this.imagesDir, `${id}${extension}`);
  }

  #labelPath(id: string, tag: string, extension: string): string {
    return inside(this.labelsDir, path.join(tag, `${id}${extension}`));
  }

  async #removeFile(file: string): Promise<void> {
    try {
      await fs.rm(file, { force: true });
    } catch (error) {
      this.#logger.warn(`removing ${file} failed: ${describeError(error)}`);
    }
  }
}

function toLabel(row: DatastoreLabelEntity): DatastoreLabel {
  return {
    tag: row.tag,
    extension: row.extension,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    info: row.info,
    updatedAt: row.updatedAt,
  };
}

/**
 * `root/relative`, refusing anything that would land outside `root`. Ids and tags are checked safe names before they
 * get here; this is the last line should one ever slip through.
 */
function inside(root: string, relative: string): string {
  const full = path.resolve(root, relative);
  const rel = path.relative(root, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new AiaaError('internal', `datastore: '${relative}' would lie outside ${root}`);
  }
  return full;
}
