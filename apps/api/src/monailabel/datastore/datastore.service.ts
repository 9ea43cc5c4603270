import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, readNiftiGrid } from '@aiaa/core';
import type { RouteResult } from '../../common/http-reply';
import { validateSafeName } from '../../common/safe-name';
import { parseParams } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';
import { Datastore, type DatastoreImage, type DatastoreLabel, type OpenedImage } from './datastore';
import { type ImageGrid, baseName, checkImageUpload, checkLabelUpload } from './datastore-files';
import { DatastoreNotFoundError } from './datastore-not-found.error';

/** Longest image id: a DICOM UID (64) with room to spare. */
export const MAX_IMAGE_ID_LENGTH = 128;
/** Longest label tag. */
export const MAX_TAG_LENGTH = 64;
/** The tag of an annotator's label: what `next sample` strategies count as done. */
export const FINAL_TAG = 'final';
/** The tag inference results are saved under. */
export const ORIGINAL_TAG = 'original';

/** `GET /datastore/` (and `/info/` `datastore`): counts. */
export interface DatastoreStats {
  readonly total: number;
  /** Images with a `final` label. */
  readonly completed: number;
  readonly label_tags: Record<string, number>;
  /** Why the DICOMweb server could not be listed (`GET /info/` answers without its series then). */
  readonly unavailable?: string;
}

/** Checks an image id from a request. @throws InvalidInputError naming it */
export function validateImageId(id: string): string {
  return validateSafeName('image id', id, MAX_IMAGE_ID_LENGTH);
}

/** Checks a label tag from a request (`final` when absent or empty). @throws InvalidInputError naming it */
export function validateTag(tag: string | undefined): string {
  return tag === undefined || tag === '' ? FINAL_TAG : validateSafeName('label tag', tag, MAX_TAG_LENGTH);
}

/** The grid of an opened image: its volume's, or its file header's. */
export async function gridOf(opened: OpenedImage): Promise<ImageGrid> {
  return opened.kind === 'series'
    ? { sizeIjk: opened.image.sizeIjk, affine: opened.image.affine }
    : readNiftiGrid(opened.path, `datastore image '${opened.id}'`);
}

/** `SHA256:<hex>`, as MONAI Label writes checksums. */
export function checksumOf(sha256: string): string {
  return `SHA256:${sha256}`;
}

/**
 * The `/datastore` use cases of MONAI Label's clients: upload an image under the id the client chose (Slicer uses the
 * id without reading the reply), save a label under a tag, fetch, check and remove them, list the store. Ids and tags
 * are checked before any byte of the body is stored; uploads pass the same receiver and limits as every route.
 */
@Injectable()
export class DatastoreService {
  constructor(@Inject(Datastore) private readonly store: Datastore) {}

  /**
   * Stores the `file` part as image `id` (default: the upload's base name without its suffix).
   * @throws InvalidInputError naming the id, the part or the content at fault.
   */
  async addImage(id: string | undefined, upload: PendingUpload): Promise<{ image: string }> {
    if (id !== undefined && id !== '') {
      validateImageId(id);
    }
    const parts = await upload.receive();
    const info = parseParams(parts.fields.get('params'));
    const file = parts.files.find((f) => f.field === 'file');
    if (!file) {
      throw new InvalidInputError(`multipart file part 'file' is required: the image to store`);
    }
    const imageId = id !== undefined && id !== '' ? id : validateImageId(stripSuffix(baseName(file)));
    const { incoming } = await checkImageUpload(file);
    await this.store.addImage(imageId, incoming, info);
    return { image: imageId };
  }

  /**
   * Stores the `label` part as the `tag` label of image `id` (the label's grid checked against the image's).
   * @throws InvalidInputError; DatastoreNotFoundError (404) for an unknown image, before the body is read.
   */
  async saveLabel(id: string, tag: string | undefined, upload: PendingUpload): Promise<Record<string, unknown>> {
    validateImageId(id);
    const labelTag = validateTag(tag);
    const image = await this.store.openImage(id, upload.signal);
    const parts = await upload.receive();
    const info = parseParams(parts.fields.get('params'));
    const file = parts.files.find((f) => f.field === 'label');
    if (!file) {
      throw new InvalidInputError(`multipart file part 'label' is required: the label to save`);
    }
    const grid = await gridOf(image);
    const incoming = await checkLabelUpload(file, grid, parts.dir);
    const label = await this.store.saveLabel(id, labelTag, incoming, info);
    return { image: id, label: id, tag: labelTag, checksum: checksumOf(label.sha256) };
  }

  /**
   * The image to download, sent as `<id><extension>`: its file, or a PACS series' volume (as NIfTI).
   * @throws InvalidInputError; DatastoreNotFoundError; the PACS' errors.
   */
  imageToSend(id: string, signal?: AbortSignal): Promise<OpenedImage> {
    return this.store.openImage(validateImageId(id), signal);
  }

  /** The `tag` label of image `id`, sent as `<id><extension>`. @throws InvalidInputError; DatastoreNotFoundError */
  async labelFile(id: string, tag: string | undefined): Promise<RouteResult> {
    const file = await this.store.labelFile(validateImageId(id), validateTag(tag));
    return { json: {}, file: file.path, fileName: file.name };
  }

  /**
   * Whether image `id` is stored, with checksum `checksum` when one is given (`SHA256:<hex>`).
   * @throws DatastoreNotFoundError when it is not (or its checksum differs).
   */
  async checkImage(id: string, checksum: string | undefined): Promise<Record<string, never>> {
    const image = await this.store.image(validateImageId(id));
    // A PACS series has no stored file to check a checksum against: only its presence is known.
    const sha256 = image.sha256;
    const differs = sha256 === undefined || checksum?.toLowerCase() !== checksumOf(sha256).toLowerCase();
    if (checksum !== undefined && checksum !== '' && differs) {
      throw new DatastoreNotFoundError(`image '${id}' with checksum ${checksum}`);
    }
    return {};
  }

  /** @throws DatastoreNotFoundError when image `id` has no `tag` label. */
  async checkLabel(id: string, tag: string | undefined): Promise<Record<string, never>> {
    await this.store.labelFile(validateImageId(id), validateTag(tag));
    return {};
  }

  async removeImage(id: string): Promise<Record<string, never>> {
    await this.store.removeImage(validateImageId(id));
    return {};
  }

  /** Removes the `tag` label of image `id`, or all its labels when no tag is given. */
  async removeLabel(id: string, tag: string | undefined): Promise<Record<string, never>> {
    const tagged = tag === undefined || tag === '' ? undefined : validateTag(tag);
    await this.store.removeLabel(validateImageId(id), tagged);
    return {};
  }

  async stats(): Promise<DatastoreStats> {
    return statsOf(await this.store.list());
  }

  /** `all`: MONAI Label's whole datastore object; `train`: `[{image, label}]` paths of the final labels. */
  async describe(): Promise<Record<string, unknown>> {
    const images = await this.store.list();
    return {
      name: this.store.name,
      description: this.store.description,
      images_dir: this.store.imagesDir,
      labels_dir: this.store.labelsDir,
      objects: Object.fromEntries(images.map((image) => [image.id, objectOf(image)])),
    };
  }

  async trainingList(): Promise<{ image: string; label: string }[]> {
    const images = await this.store.list();
    const pairs: { image: string; label: string }[] = [];
    for (const image of images) {
      if (image.labels[FINAL_TAG] !== undefined && image.path !== undefined) {
        pairs.push({ image: image.path, label: (await this.store.labelFile(image.id, FINAL_TAG)).path });
      }
    }
    return pairs;
  }
}

/** The counts of a listing. */
export function statsOf(images: readonly DatastoreImage[]): DatastoreStats {
  const labelTags: Record<string, number> = { [FINAL_TAG]: 0, [ORIGINAL_TAG]: 0 };
  for (const image of images) {
    for (const tag of Object.keys(image.labels)) {
      labelTags[tag] = (labelTags[tag] ?? 0) + 1;
    }
  }
  return { total: images.length, completed: labelTags[FINAL_TAG] ?? 0, label_tags: labelTags };
}

/**
 * What MONAI Label tells of an image: its info plus `ts`, `checksum` (of a stored file), `name` (with the suffix) and
 * `path` (of a file here).
 */
export function imageInfoOf(image: DatastoreImage): Record<string, unknown> {
  return {
    ...image.info,
    ...(image.createdAt === undefined ? {} : { ts: Math.floor(image.createdAt.getTime() / 1000) }),
    ...(image.sha256 === undefined ? {} : { checksum: checksumOf(image.sha256) }),
    name: `${image.id}${image.extension}`,
    ...(image.path === undefined ? {} : { path: image.path }),
  };
}

function objectOf(image: DatastoreImage): Record<string, unknown> {
  const labels = Object.fromEntries(
    Object.entries(image.labels).map(([tag, label]) => [tag, labelObjectOf(image.id, label)]),
  );
  return { image: { ext: image.extension, info: imageInfoOf(image) }, labels };
}

function labelObjectOf(id: string, label: DatastoreLabel): Record<string, unknown> {
  const info = {
    ...label.info,
    ts: Math.floor(label.updatedAt.getTime() / 1000),
    checksum: checksumOf(label.sha256),
    name: `${id}${label.extension}`,
  };
  return { ext: label.extension, info };
}

/** `ct.nii.gz` → `ct`: the id an upload gets when the client names none. */
function stripSuffix(name: string): string {
  const lower = name.toLowerCase();
  const suffix = ['.nii.gz', '.nii'].find((ext) => lower.endsWith(ext)) ?? '';
  return name.slice(0, name.length - suffix.length);
}
