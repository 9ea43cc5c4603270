import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  type DicomInstance,
  InvalidInputError,
  TooLargeError,
  assembleDicomSeries,
  isDicomPart10,
  readDicomInstance,
  writeNifti,
} from '@aiaa/core';
import type { UploadedFile } from '../upload/multipart-upload';

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
  return files.length > 1 || (only !== undefined && isDicomPart10(await readHead(only.path)));
}

/**
 * Reads every part as one slice, assembles the series and writes it as a NIfTI file in `target.dir`.
 * Returns that file as an upload (`field` of the first part, `filename` `<SeriesInstanceUID><extension>`).
 *
 * @throws InvalidInputError naming the part that is not DICOM or cannot be used (see readDicomInstance and
 *   assembleDicomSeries); TooLargeError when the slices' pixels exceed `maxImageBytes`; the signal's reason when
 *   the client went away.
 */
export async function writeDicomSeries(
  files: readonly UploadedFile[],
  target: DicomSeriesTarget,
): Promise<UploadedFile> {
  // Check every part's magic before parsing any: a NIfTI file mixed into a series is named at once.
  for (const file of files) {
    if (!isDicomPart10(await readHead(file.path))) {
      throw new InvalidInputError(
        `${describePart(file)}: not a DICOM Part 10 file ('DICM' missing at byte 128); ` +
          `a request with ${files.length} file parts is read as the slices of one DICOM series`,
      );
    }
  }
  const instances: DicomInstance[] = [];
  let pixelBytes = 0;
  for (const file of files) {
    target.signal?.throwIfAborted();
    const instance = readDicomInstance(await fs.readFile(file.path), describePart(file));
    pixelBytes += instance.pixels.byteLength;
    if (pixelBytes > target.maxImageBytes) {
      throw new TooLargeError(
        `DICOM series: the pixels of ${instances.length + 1} of ${files.length} slices already need ` +
          `${pixelBytes} bytes, over the ${target.maxImageBytes}-byte image limit`,
      );
    }
    instances.push(instance);
  }
  const first = files[0] as UploadedFile;
  const image = await assembleDicomSeries(instances, 'DICOM series');
  const filename = `${(instances[0] as DicomInstance).seriesUid}${target.extension}`;
  const out = path.join(target.dir, `series${target.extension}`);
  await writeNifti(out, image);
  return { field: first.field, filename, path: out, bytes: (await fs.stat(out)).size };
}

/** `multipart file part 'image3' (ct3.dcm)`. */
function describePart(file: UploadedFile): string {
  return `multipart file part '${file.field}' (${path.basename(file.filename)})`;
}

/** The first 132 bytes of a file (preamble and magic). */
async function readHead(file: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const head = new Uint8Array(132);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
