import { type DicomInstance, readDicomInstance } from '../dicom/dicom-instance';
import { assembleDicomSeries } from '../dicom/dicom-series';
import type { MedicalImage } from '../image/medical-image';
import type { DicomwebClient } from './dicomweb-client';
import type { DicomwebSeries } from './qido-records';

/** Limits and cancellation of {@link loadDicomwebSeries}. */
export interface LoadSeriesOptions {
  /** Most bytes downloaded for the series (the WADO-RS reply, all instances together). */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
}

/** A series assembled from the PACS, with what QIDO-RS said of it. */
export interface LoadedSeries {
  readonly series: DicomwebSeries;
  readonly image: MedicalImage;
  /** Bytes of the instances received (their Part 10 files). */
  readonly receivedBytes: number;
}

/**
 * Finds a series by its SeriesInstanceUID (QIDO-RS), retrieves its instances (WADO-RS, streamed: each is decoded
 * as it arrives and its bytes dropped) and assembles them into one image, as a DICOM series upload is.
 *
 * @throws PacsRequestError (not-found) for an unknown series; SeriesTooLargeError past `maxBytes`;
 *   UnsupportedMediaError for a compressed series the PACS cannot send uncompressed; InvalidInputError from the
 *   instance reader and the series assembly (naming the instance); PacsUnavailableError.
 */
export async function loadDicomwebSeries(
  client: DicomwebClient,
  seriesUid: string,
  options: LoadSeriesOptions,
): Promise<LoadedSeries> {
  const series = await client.findSeries(seriesUid, options.signal);
  const instances: DicomInstance[] = [];
  let receivedBytes = 0;
  for await (const { bytes } of client.retrieveSeries(series.studyInstanceUid, seriesUid, options)) {
    receivedBytes += bytes.length;
    instances.push(readDicomInstance(bytes, `DICOMweb series ${seriesUid}, instance ${instances.length + 1}`));
  }
  const image = await assembleDicomSeries(instances, `DICOMweb series ${seriesUid}`);
  return { series, image, receivedBytes };
}
