import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { InvalidInputError, isDicomFile, readDicomSeries, writeNifti } from '@aiaa/core';
import { type UploadedFile, clientFileName } from '../../upload/upload-policy';

/** What a series upload is turned into. */
export interface DicomSeriesTarget {
  /** Folder that receives the NIfTI file (the request's temp folder). */
  readonly dir: string;
  /** `.nii` or `.nii.gz`. */
  readonly extension: string;
  /** Largest stored pixel payload of all slices together, in bytes (413 above it). */
  readonly maxImageBytes: number;
  readonly signal?: AbortSignal;
}

/** The extensions a series may be saved as (`save_as`), NIfTI only. */
export const SERIES_EXTENSIONS = ['.nii.gz', '.nii'] as const;

/**
 * True when the upload is a DICOM series: more than one file part, or one part that is a DICOM Part 10 file.
 * (Several parts are always a series: a session holds one image.)
 */
export async function isDicomUpload(files: readonly UploadedFile[]): Promise<boolean> {
  const only = files[0];
  return files.length > 1 || (only !== undefined && (await isDicomFile(only.path)));
}

/**
 * Reads every part as one slice, assembles the series and writes it as a NIfTI file in `target.dir`.
 * Returns that file as an upload (`field` of the first part, `filename` `<SeriesInstanceUID><extension>`).
 *
 * @throws InvalidInputError naming the part that is not DICOM or cannot be used; TooLargeError when the slices'
 *   pixels exceed `maxImageBytes`; the signal's reason when the client went away.
 */
export async function writeDicomSeries(
  files: readonly UploadedFile[],
  target: DicomSeriesTarget,
): Promise<UploadedFile> {
  // Check every part's magic before parsing any: a NIfTI file mixed into a series is named at once.
  for (const file of files) {
    if (!(await isDicomFile(file.path))) {
      throw new InvalidInputError(
        `${describePart(file)}: not a DICOM Part 10 file ('DICM' missing at byte 128); ` +
          `a request with ${files.length} file parts is read as the slices of one DICOM series`,
      );
    }
  }
  const slices = files.map((file) => ({ path: file.path, name: describePart(file) }));
  const { image, seriesUid } = await readDicomSeries(slices, target);
  const first = files[0] as UploadedFile;
  const out = path.join(target.dir, `series${target.extension}`);
  await writeNifti(out, image);
  return {
    field: first.field,
    filename: `${seriesUid}${target.extension}`,
    path: out,
    bytes: (await fs.stat(out)).size,
  };
}

/** `multipart file part 'image3' (ct3.dcm)`. */
function describePart(file: UploadedFile): string {
  return `multipart file part '${file.field}' (${path.basename(clientFileName(file))})`;
}
