import { Logger } from '@nestjs/common';
import { type DicomwebClient, type DicomwebSeries, InvalidInputError } from '@aiaa/core';
import type { DicomwebSeriesCache } from '../../dicomweb/dicomweb-series-cache';
import {
  Datastore,
  type DatastoreFile,
  type DatastoreImage,
  type DatastoreLabel,
  type IncomingFile,
  type OpenedImage,
} from './datastore';
import type { LocalDatastore } from './local-datastore';

/** Modalities of objects that are not images to annotate (segmentations, structure sets, reports, states…). */
const NOT_IMAGES = new Set(['SEG', 'RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTRECORD', 'SR', 'PR', 'KO', 'REG', 'DOC', 'PLAN']);
/** Most series one listing asks QIDO-RS for (`limit`): a listing is a QIDO request per `/info/` or next sample. */
export const MAX_LISTED_SERIES = 5000;
/** The format a series is downloaded in (`GET /datastore/image`): uncompressed NIfTI, streamed from memory. */
export const SERIES_EXTENSION = '.nii';

/**
 * The datastore of a PACS (`--dicomweb`): its image series, listed with QIDO-RS (what OHIF shows of each: PatientID,
 * StudyInstanceUID, Modality, StudyDate, StudyTime), are images whose id is their SeriesInstanceUID, retrieved with
 * WADO-RS into the series cache when a request opens them. Labels are kept in the workspace by series UID, as the
 * local datastore keeps them (tags, info and `final` for the next-sample strategies), and a result goes to the PACS
 * as a DICOM SEG only when a request asks (`save_seg`, `output=dicom_seg`). Images uploaded under an id of their own
 * stay in the workspace too and are listed beside the series, so 3D Slicer's upload-then-infer keeps working.
 */
export class DicomwebDatastore extends Datastore {
  readonly #logger = new Logger(DicomwebDatastore.name);
  readonly name = 'dicomweb';
  readonly description: string;
  readonly imagesDir: string;
  readonly labelsDir: string;

  constructor(
    private readonly client: DicomwebClient,
    private readonly cache: DicomwebSeriesCache,
    private readonly local: LocalDatastore,
  ) {
    super();
    this.description = `Series of the DICOMweb server ${client.url}, with labels and uploaded images in the workspace`;
    this.imagesDir = client.url;
    this.labelsDir = local.labelsDir;
  }

  /** The PACS' image series and the images uploaded here, by id. @throws PacsUnavailableError */
  async list(): Promise<DatastoreImage[]> {
    const [series, uploaded, labels] = await Promise.all([
      this.client.searchSeries({ limit: MAX_LISTED_SERIES }),
      this.local.list(),
      this.local.labelsByImage(),
    ]);
    if (series.length >= MAX_LISTED_SERIES) {
      this.#logger.warn(`${this.client.url} holds more series than the ${MAX_LISTED_SERIES} listed`);
    }
    const ids = new Set(uploaded.map((image) => image.id));
    const fromPacs = series
      .filter((s) => !ids.has(s.seriesInstanceUid) && !NOT_IMAGES.has(s.modality ?? ''))
      .map((s) => imageOf(s, labels.get(s.seriesInstanceUid) ?? {}));
    return [...uploaded, ...fromPacs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** @throws PacsRequestError (404) for a series the PACS does not hold; PacsUnavailableError */
  async image(id: string): Promise<DatastoreImage> {
    if (await this.local.hasImage(id)) {
      return this.local.image(id);
    }
    return imageOf(await this.client.findSeries(id), await this.local.labelsOf(id));
  }

  /**
   * An uploaded image's file, or the series' volume from the cache (retrieved first when it is not there).
   * @throws PacsRequestError (404); SeriesTooLargeError (413); UnsupportedMediaError (415); PacsUnavailableError
   */
  async openImage(id: string, signal?: AbortSignal): Promise<OpenedImage> {
    if (await this.local.hasImage(id)) {
      return this.local.openImage(id);
    }
    const { image, series } = await this.cache.get(id, signal);
    return { kind: 'series', id, image, series, name: `${id}${SERIES_EXTENSION}` };
  }

  addImage(id: string, file: IncomingFile, info: Record<string, unknown>): Promise<DatastoreImage> {
    return this.local.addImage(id, file, info);
  }

  /** @throws InvalidInputError for a series of the PACS, which is not removed from here */
  async removeImage(id: string): Promise<void> {
    if (await this.local.hasImage(id)) {
      return this.local.removeImage(id);
    }
    throw new InvalidInputError(
      `image '${id}': the series of the DICOMweb server ${this.client.url} are not removed through this server`,
    );
  }

  /** @throws PacsRequestError (404) when the image is neither uploaded here nor a series of the PACS */
  async saveLabel(id: string, tag: string, file: IncomingFile, info: Record<string, unknown>): Promise<DatastoreLabel> {
    if (await this.local.hasImage(id)) {
      return this.local.saveLabel(id, tag, file, info);
    }
    await this.client.findSeries(id);
    return this.local.storeLabel(id, tag, file, info);
  }

  labelFile(id: string, tag: string): Promise<DatastoreFile> {
    return this.local.labelFile(id, tag);
  }

  removeLabel(id: string, tag: string | undefined): Promise<void> {
    return this.local.removeLabel(id, tag);
  }
}

/** A series as a datastore image: its info holds what QIDO-RS said, under DICOM keywords (absent ones left out). */
function imageOf(series: DicomwebSeries, labels: Readonly<Record<string, DatastoreLabel>>): DatastoreImage {
  const info: Record<string, unknown> = {
    SeriesInstanceUID: series.seriesInstanceUid,
    StudyInstanceUID: series.studyInstanceUid,
    PatientID: series.patientId,
    PatientName: series.patientName,
    Modality: series.modality,
    StudyDate: series.studyDate,
    StudyTime: series.studyTime,
    SeriesDescription: series.seriesDescription,
    SeriesNumber: series.seriesNumber,
    NumberOfSeriesRelatedInstances: series.numberOfInstances,
  };
  for (const key of Object.keys(info)) {
    if (info[key] === undefined) {
      delete info[key];
    }
  }
  return { id: series.seriesInstanceUid, extension: SERIES_EXTENSION, info, labels };
}
