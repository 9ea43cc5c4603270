import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, type MedicalImage, readNifti, writeNifti } from '@aiaa/core';
import { DicomwebSource } from '../../dicomweb/dicomweb-source';
import { type DicomReference, dicomReferenceOf } from './dicom-reference';
import { SERIES_EXTENSIONS, isDicomUpload, writeDicomSeries } from './dicom-upload';
import { InferenceOptions } from '../inference-options';
import { parseParams } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';
import { clientBaseName } from '../../upload/upload-policy';
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
    @Inject(DicomwebSource) private readonly dicomweb: DicomwebSource,
  ) {}

  /**
   * Creates a session from the image part (`image` or `datapoint`) of the upload, or from the slices of a DICOM
   * series sent as `image0..N` (or as one DICOM file), assembled and stored as NIfTI (`saveAs`: `.nii.gz` by default).
   * A JSON body `{"dicom": {series_uid, study_uid?, …}}` (AIAA's DICOM reference) creates it from that series of the
   * PACS (`--dicomweb`) instead, through the series cache.
   * @throws InvalidInputError naming `expiry` before the body is read, naming `image` when no file was sent, naming
   *   `save_as` when it is not a NIfTI extension, naming the part of a series that is not a usable slice, naming
   *   the `dicom` field at fault; InvalidNiftiError when the file is not a readable NIfTI image; SessionLimitError
   *   when the server holds too many sessions or bytes; DicomwebNotConfiguredError; the PACS' errors.
   */
  async create(
    upload: PendingUpload,
    client: string,
    expiry: string | undefined,
    saveAs?: string,
    uncompress?: string,
  ): Promise<CreatedSession> {
    const expirySec = this.store.effectiveExpiry(expiry);
    checkUncompress(uncompress);
    // A full server or a client over its quota is refused before the body is stored.
    this.store.checkRoom(client);
    const signal = upload.signal;
    const reference = dicomReferenceOf(upload.json);
    if (reference) {
      // A series is decoded as an uploaded image is: it takes a turn among the image requests.
      await upload.waitForTurn();
      return this.#createFromPacs(reference, client, expirySec, seriesExtensionOf(saveAs), signal);
    }
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
        maxImageBytes: this.options.maxReadBytes,
        signal,
      });
    }
    // Read the whole image once: a session that cannot be read would fail every later request.
    // Errors name the client's file, never the server's temp path.
    const source = clientBaseName(file);
    const image = await readNifti(file.path, { maxBytes: this.options.maxReadBytes, signal, source });
    const created = await this.store.create(file, infoOf(image), expirySec, client);
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

  /**
   * A session on a series of the PACS: its volume from the series cache, written as the session's NIfTI file (in a
   * temp folder beside the sessions, so the store moves it by a rename) and kept decoded for the first requests.
   */
  async #createFromPacs(
    reference: DicomReference,
    client: string,
    expirySec: number,
    extension: string,
    signal: AbortSignal,
  ): Promise<CreatedSession> {
    const { cache } = this.dicomweb.require(`request body 'dicom' (a session on a series of the PACS)`);
    const { image, series } = await cache.get(reference.seriesUid, signal);
    if (reference.studyUid !== undefined && reference.studyUid !== series.studyInstanceUid) {
      throw new InvalidInputError(
        `request body 'dicom.study_uid': series ${reference.seriesUid} belongs to study ${series.studyInstanceUid}, ` +
          `not ${reference.studyUid}`,
      );
    }
    await fs.mkdir(this.options.uploadsDir, { recursive: true });
    const dir = await fs.mkdtemp(path.join(this.options.uploadsDir, 'req-'));
    try {
      const file = path.join(dir, `series${extension}`);
      await writeNifti(file, image);
      const upload = { field: 'dicom', filename: `${reference.seriesUid}${extension}`, path: file };
      const created = await this.store.create(
        { ...upload, bytes: (await fs.stat(file)).size },
        infoOf(image),
        expirySec,
        client,
      );
      this.store.remember(created.session_id, image);
      return created;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
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

/** What a session tells of its image. */
function infoOf(image: MedicalImage): SessionInfo['image'] {
  return {
    size: image.sizeIjk,
    spacing_mm: image.spacingMm.map((mm) => Math.round(mm * 1e6) / 1e6),
    channels: image.channels,
    dtype: image.dtype,
  };
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
