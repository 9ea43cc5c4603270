import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, readNifti } from '@aiaa/core';
import { SERIES_EXTENSIONS, isDicomUpload, writeDicomSeries } from './dicom-upload';
import { InferenceOptions } from '../inference-options';
import { parseParams } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';
import { SessionStore, type SessionInfo } from './session-store.service';

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
  async create(upload: PendingUpload, expiry: string | undefined, saveAs?: string): Promise<SessionInfo> {
    const expirySec = this.store.effectiveExpiry(expiry);
    const signal = upload.signal;
    const parts = await upload.receive();
    parseParams(parts.fields.get('params'));
    let file = parts.requireFile(`multipart file part 'image' is required to create a session (none was sent)`);
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
    return created;
  }

  /** @throws SessionNotFoundError (440) */
  get(id: string, updateTs: boolean): SessionInfo {
    return this.store.get(id, updateTs);
  }

  /** @throws SessionNotFoundError (440) */
  remove(id: string): Promise<void> {
    return this.store.remove(id);
  }
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
