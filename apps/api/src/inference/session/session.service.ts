import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, readNifti } from '@aiaa/core';
import { SERIES_EXTENSIONS, isDicomUpload, writeDicomSeries } from './dicom-upload';
import { InferenceOptions } from '../inference-options';
import { parseParams } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';
import { SessionStore, type SessionInfo } from './session-store.service';

/**
 * MONAI Label's `session_info` (`PUT /session/` with `files` parts): the session's name, image file, its metadata
 * and times, beside AIAA's fields in the same reply.
 */
export interface MonaiLabelSessionInfo {
  readonly name: string;
  readonly image: string;
  readonly meta: SessionInfo['image'];
  readonly create_ts: number;
  readonly last_access_ts: number;
  readonly expiry: number;
}

/** The reply to `PUT /session/`: AIAA's session, plus `session_info` when MONAI Label's form was used. */
export type CreatedSession = SessionInfo & { readonly session_info?: MonaiLabelSessionInfo };

/** The `/session` use cases: create from an upload, read, close. */
@Injectable()
export class SessionService {
  constructor(
    @Inject(InferenceOptions) private readonly options: InferenceOptions,
    @Inject(SessionStore) private readonly store: SessionStore,
  ) {}

  /**
   * Creates a session from the image part (`image` or `datapoint`) of the upload, or from the slices of a DICOM
   * series sent as `image0..N` (or as one DICOM file), assembled and stored as NIfTI (`saveAs`: `.nii.gz` by default).
   * @throws InvalidInputError naming `expiry` before the body is read, naming `image` when no file was sent, naming
   *   `save_as` when it is not a NIfTI extension, naming the part of a series that is not a usable slice;
   *   InvalidNiftiError when the file is not a readable NIfTI image; SessionLimitError when the server holds too
   *   many sessions or bytes.
   */
  async create(
    upload: PendingUpload,
    expiry: string | undefined,
    saveAs?: string,
    uncompress?: string,
  ): Promise<CreatedSession> {
    const expirySec = this.store.effectiveExpiry(expiry);
    checkUncompress(uncompress);
    const signal = upload.signal;
    const parts = await upload.receive();
    parseParams(parts.fields.get('params'));
    let file = parts.requireFile(`multipart file part 'image' is required to create a session (none was sent)`);
    // MONAI Label's clients send `files` parts, AIAA's `image`/`image0..N`: the parts tell the two forms apart.
    const monaiLabel = parts.files.some((part) => part.field === 'files');
    if (monaiLabel && parts.files.some((part) => part.field !== 'files')) {
      throw new InvalidInputError(
        `multipart file part '${parts.files.find((part) => part.field !== 'files')?.field ?? ''}': ` +
          `send the image as 'files' parts (MONAI Label) or as 'image'/'image0..N' parts (AIAA), not both`,
      );
    }
    if (await isDicomUpload(parts.files)) {
      file = await writeDicomSeries(parts.files, {
        dir: parts.dir,
        extension: seriesExtensionOf(saveAs),
        maxImageBytes: this.options.maxImageBytes,
        signal,
      });
    }
    // Read the whole image once: a session that cannot be read would fail every later request.
    const image = await readNifti(file.path, { maxBytes: this.options.maxImageBytes, signal });
    const info = {
      size: image.sizeIjk,
      spacing_mm: image.spacingMm.map((mm) => Math.round(mm * 1e6) / 1e6),
      channels: image.channels,
      dtype: image.dtype,
    };
    const created = await this.store.create(file, info, expirySec);
    this.store.remember(created.session_id, image);
    if (!monaiLabel) {
      return created;
    }
    const sessionInfo = {
      name: created.name,
      image: await this.store.imagePath(created.session_id),
      meta: created.image,
      create_ts: created.create_ts,
      last_access_ts: created.last_access_ts,
      expiry: created.expiry,
    };
    return { ...created, session_info: sessionInfo };
  }

  /** @throws SessionNotFoundError (440) */
  get(id: string, updateTs: boolean): Promise<SessionInfo> {
    return this.store.get(id, updateTs);
  }

  /** @throws SessionNotFoundError (440) */
  remove(id: string): Promise<void> {
    return this.store.remove(id);
  }
}

/**
 * MONAI Label's `uncompress` (unpack an uploaded archive): gzip is read as it comes (a `.nii.gz` needs nothing), but
 * archives are not unpacked here.
 * @throws InvalidInputError naming `uncompress` when it asks for unpacking or is not a boolean.
 */
function checkUncompress(uncompress: string | undefined): void {
  if (uncompress === undefined || uncompress === '' || uncompress === 'false' || uncompress === '0') {
    return;
  }
  if (uncompress === 'true' || uncompress === '1') {
    throw new InvalidInputError(
      `query parameter 'uncompress': archives are not unpacked by this server; send the image (NIfTI, gzipped or not) ` +
        `or a DICOM series as one 'files' part per slice`,
    );
  }
  throw new InvalidInputError(`query parameter 'uncompress': expected true or false, got '${uncompress}'`);
}

/**
 * The extension a DICOM series is stored with: `save_as` (`.nii` or `.nii.gz`, as OHIF sends it), `.nii.gz` when
 * absent. An uploaded NIfTI file keeps its own extension whatever `save_as` says.
 * @throws InvalidInputError naming `save_as` for any other value.
 */
function seriesExtensionOf(saveAs: string | undefined): string {
  if (saveAs === undefined || saveAs === '') {
    return '.nii.gz';
  }
  const extension = (saveAs.startsWith('.') ? saveAs : `.${saveAs}`).toLowerCase();
  const known = SERIES_EXTENSIONS.find((ext) => ext === extension);
  if (!known) {
    throw new InvalidInputError(
      `query parameter 'save_as': expected ${SERIES_EXTENSIONS.join(' or ')}, got '${saveAs}'`,
    );
  }
  return known;
}
