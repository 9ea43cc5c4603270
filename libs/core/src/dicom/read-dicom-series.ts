import { open, readFile } from 'node:fs/promises';
import { TooLargeError } from '../errors';
import type { MedicalImage } from '../image/medical-image';
import { type DicomInstance, isDicomPart10, readDicomInstance } from './dicom-instance';
import { assembleDicomSeries } from './dicom-series';

/** One file of a series: where it is, and how messages name it (`multipart file part 'image3' (ct3.dcm)`). */
export interface DicomFile {
  readonly path: string;
  readonly name: string;
}

/** How {@link readDicomSeries} bounds its work. */
export interface ReadDicomSeriesOptions {
  /** Largest stored pixel payload of all slices together, in bytes (TooLargeError above it). */
  readonly maxImageBytes: number;
  /** Stops between slices when it aborts. */
  readonly signal?: AbortSignal;
}

/** True when the file starts like a DICOM Part 10 file ('DICM' after the 128-byte preamble); reads 132 bytes. */
export async function isDicomFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(132);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return isDicomPart10(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Reads every file as one slice and assembles the series into one image (see {@link assembleDicomSeries}), with
 * the SeriesInstanceUID of its slices.
 *
 * @throws InvalidInputError naming the file that is not a usable slice (see readDicomInstance and
 *   assembleDicomSeries); TooLargeError when the slices' pixels exceed `maxImageBytes`, checked slice by slice
 *   before the next is read; the signal's reason when it aborts.
 */
export async function readDicomSeries(
  files: readonly DicomFile[],
  options: ReadDicomSeriesOptions,
): Promise<{ readonly image: MedicalImage; readonly seriesUid: string }> {
  const instances: DicomInstance[] = [];
  let pixelBytes = 0;
  for (const file of files) {
    options.signal?.throwIfAborted();
    const instance = readDicomInstance(await readFile(file.path), file.name);
    pixelBytes += instance.pixels.byteLength;
    if (pixelBytes > options.maxImageBytes) {
      throw new TooLargeError(
        `DICOM series: the pixels of ${instances.length + 1} of ${files.length} slices already need ` +
          `${pixelBytes} bytes, over the ${options.maxImageBytes}-byte image limit`,
      );
    }
    instances.push(instance);
  }
  const image = await assembleDicomSeries(instances, 'DICOM series');
  return { image, seriesUid: (instances[0] as DicomInstance).seriesUid };
}
