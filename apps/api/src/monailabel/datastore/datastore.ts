import type { DicomwebSeries, MedicalImage } from '@aiaa/core';

/** A stored file a datastore hands out: where it is, and the name it is sent under (`<id><extension>`). */
export interface DatastoreFile {
  readonly path: string;
  readonly name: string;
}

/** A label of an image, under its tag. */
export interface DatastoreLabel {
  readonly tag: string;
  /** `.nii.gz`, `.nii`, `.nrrd`, `.seg.nrrd`. */
  readonly extension: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  /** What the client (or the inference that made it) said about it. */
  readonly info: Readonly<Record<string, unknown>>;
  readonly updatedAt: Date;
}

/** An image with its labels. */
export interface DatastoreImage {
  readonly id: string;
  /** The suffix of its file, or of the file it is downloaded as (a PACS series: `.nii`). */
  readonly extension: string;
  /** Size and checksum of its stored file; absent for an image that is not a stored file here (a PACS series). */
  readonly sizeBytes?: number;
  readonly sha256?: string;
  readonly info: Readonly<Record<string, unknown>>;
  /** When it was stored here; absent for a PACS series. */
  readonly createdAt?: Date;
  /** Where the image lies on this server, when it lies here (a local folder, a cache). */
  readonly path?: string;
  readonly labels: Readonly<Record<string, DatastoreLabel>>;
}

/** A file received for the datastore, already on disk in the request's folder. */
export interface IncomingFile {
  readonly path: string;
  /** The suffix the stored file keeps. */
  readonly extension: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Image `id` ready to read: a NIfTI file here, or a series of the DICOMweb server as a volume in memory (shared with
 * every request on it: a run takes a copy) with what QIDO-RS said of it.
 */
export type OpenedImage =
  | { readonly kind: 'file'; readonly id: string; readonly path: string; readonly name: string }
  | {
      readonly kind: 'series';
      readonly id: string;
      readonly image: MedicalImage;
      readonly series: DicomwebSeries;
      /** The name it is downloaded as: `<SeriesInstanceUID>.nii`. */
      readonly name: string;
    };

/**
 * Where MONAI Label's images and labels live, behind the routes that list, fetch and store them. The local folder
 * (`<workspace>/datastore`) is one; a DICOMweb server is another (its series listed by QIDO-RS, an `image` id that is
 * a SeriesInstanceUID retrieved by WADO-RS into the series cache, labels kept here): routes and inference only ask
 * for ids, and get a file or a volume. Ids and tags reach a datastore already checked as safe names.
 */
export abstract class Datastore {
  /** Shown by `GET /datastore/?output=all`. */
  abstract readonly name: string;
  abstract readonly description: string;
  /** Folders reported by `GET /datastore/?output=all` (`images_dir`, `labels_dir`). */
  abstract readonly imagesDir: string;
  abstract readonly labelsDir: string;

  /** Every image with its labels, by id. */
  abstract list(): Promise<DatastoreImage[]>;

  /** @throws DatastoreNotFoundError */
  abstract image(id: string): Promise<DatastoreImage>;

  /**
   * Image `id` to read: its file, or its volume (fetched first when it lives on a PACS).
   * @throws DatastoreNotFoundError; the PACS' errors (unavailable, too large, unsupported transfer syntax).
   */
  abstract openImage(id: string, signal?: AbortSignal): Promise<OpenedImage>;

  /** Stores `file` as image `id`, replacing an image of that id (and keeping its labels). */
  abstract addImage(id: string, file: IncomingFile, info: Record<string, unknown>): Promise<DatastoreImage>;

  /** Removes image `id` and its labels. @throws DatastoreNotFoundError */
  abstract removeImage(id: string): Promise<void>;

  /** Stores `file` as the `tag` label of image `id`, replacing the previous one. @throws DatastoreNotFoundError */
  abstract saveLabel(
    id: string,
    tag: string,
    file: IncomingFile,
    info: Record<string, unknown>,
  ): Promise<DatastoreLabel>;

  /** The file of the `tag` label of image `id`. @throws DatastoreNotFoundError */
  abstract labelFile(id: string, tag: string): Promise<DatastoreFile>;

  /** Removes the `tag` label of image `id`, or all its labels when `tag` is undefined. @throws DatastoreNotFoundError */
  abstract removeLabel(id: string, tag: string | undefined): Promise<void>;
}
