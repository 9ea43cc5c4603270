import { type DicomJsonDataset, isDicomJsonArray } from './dicom-json';
import { PacsRequestError, PacsUnavailableError } from './dicomweb-errors';
import { type DicomwebConnection, type DicomwebRequest, dicomwebFetch } from './dicomweb-http';
import {
  type DicomwebInstance,
  type DicomwebSeries,
  type DicomwebStudy,
  SERIES_INCLUDE_FIELDS,
  STUDY_INCLUDE_FIELDS,
  instanceOf,
  seriesOf,
  studyOf,
} from './qido-records';
import { type RetrieveSeriesOptions, type RetrievedInstance, retrieveSeries } from './wado-retrieve';
import { type StoredInstance, storeInstances } from './stow-store';

/**
 * QIDO-RS match keys (keywords such as `PatientID`, `StudyDate` (`20240101-20240131`), `Modality`,
 * `SeriesInstanceUID`, or tags as 8 hex digits) plus `limit`, `offset`, `fuzzymatching` and `includefield`.
 */
export type QidoQuery = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

const DICOM_JSON = 'application/dicom+json';
/** A query key: a keyword, a tag, or a dotted sequence path of those (QIDO-RS §8.3.4.1). */
const QUERY_KEY = /^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/;

/**
 * A DICOMweb client: QIDO-RS search, WADO-RS series retrieval (streamed, uncompressed, bounded) and metadata,
 * STOW-RS store. Knows nothing of images beyond the bytes; errors carry the library's kinds and name the server.
 */
export class DicomwebClient {
  readonly url: string;

  constructor(private readonly connection: DicomwebConnection) {
    this.url = connection.url.replace(/\/+$/, '');
  }

  /** QIDO-RS `GET /studies`. */
  async searchStudies(query: QidoQuery = {}, signal?: AbortSignal): Promise<DicomwebStudy[]> {
    const found = await this.#search('/studies', withIncludes(query, STUDY_INCLUDE_FIELDS), 'studies', signal);
    return found.flatMap((dataset) => studyOf(dataset) ?? []);
  }

  /** QIDO-RS `GET /series`, or `/studies/{uid}/series` when `studyUid` is given. */
  async searchSeries(query: QidoQuery = {}, studyUid?: string, signal?: AbortSignal): Promise<DicomwebSeries[]> {
    const path = studyUid ? `/studies/${encodeURIComponent(studyUid)}/series` : '/series';
    const found = await this.#search(path, withIncludes(query, SERIES_INCLUDE_FIELDS), 'series', signal);
    return found.flatMap((dataset) => seriesOf(dataset) ?? []);
  }

  /** QIDO-RS `GET /instances` (below a study and series when given). */
  async searchInstances(
    query: QidoQuery = {},
    scope: { studyUid?: string; seriesUid?: string } = {},
    signal?: AbortSignal,
  ): Promise<DicomwebInstance[]> {
    const study = scope.studyUid ? `/studies/${encodeURIComponent(scope.studyUid)}` : '';
    const series = study && scope.seriesUid ? `/series/${encodeURIComponent(scope.seriesUid)}` : '';
    const found = await this.#search(`${study}${series}/instances`, query, 'instances', signal);
    return found.flatMap((dataset) => instanceOf(dataset) ?? []);
  }

  /**
   * The series with this SeriesInstanceUID, found with QIDO-RS (for its study UID and listing fields).
   *
   * @throws PacsRequestError (not-found) when the PACS has no such series.
   */
  async findSeries(seriesUid: string, signal?: AbortSignal): Promise<DicomwebSeries> {
    const [series] = await this.searchSeries({ SeriesInstanceUID: seriesUid }, undefined, signal);
    if (!series || series.seriesInstanceUid !== seriesUid) {
      throw new PacsRequestError(
        'not-found',
        this.url,
        404,
        `series ${seriesUid} not found on DICOMweb server ${this.url}`,
      );
    }
    return series;
  }

  /** WADO-RS retrieval of a series as uncompressed Part 10 instances, one at a time, within the options' limits. */
  retrieveSeries(
    studyUid: string,
    seriesUid: string,
    options: RetrieveSeriesOptions,
  ): AsyncGenerator<RetrievedInstance> {
    return retrieveSeries(this.connection, studyUid, seriesUid, options);
  }

  /** WADO-RS `GET /studies/{study}/series/{series}/metadata`: every instance's attributes without bulk data. */
  async retrieveSeriesMetadata(studyUid: string, seriesUid: string, signal?: AbortSignal): Promise<DicomJsonDataset[]> {
    const path = `/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}/metadata`;
    return this.#getJson(path, `WADO-RS metadata of series ${seriesUid}`, signal);
  }

  /** STOW-RS store of Part 10 instances (into `studyUid` when given); answers what the PACS kept. */
  store(
    instances: readonly Uint8Array[],
    options: { studyUid?: string; signal?: AbortSignal } = {},
  ): Promise<StoredInstance[]> {
    return storeInstances(this.connection, instances, options);
  }

  /**
   * Sends a request as a viewer made it (relayed by a proxy) to `pathAndQuery` below the service root, with this
   * client's credentials in place of any the caller had, and answers the PACS' response whatever its status.
   *
   * @throws PacsUnavailableError when the PACS cannot be reached or does not answer in time.
   */
  relay(pathAndQuery: string, init: DicomwebRequest): Promise<Response> {
    return dicomwebFetch(this.connection, pathAndQuery, init, 'any');
  }

  async #search(path: string, query: QidoQuery, level: string, signal?: AbortSignal): Promise<DicomJsonDataset[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) {
        continue;
      }
      if (!QUERY_KEY.test(key)) {
        throw new PacsRequestError(
          'invalid-input',
          this.url,
          400,
          `QIDO-RS ${level} query: '${key}' is not an attribute keyword or tag`,
        );
      }
      params.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const search = params.size > 0 ? `?${params.toString()}` : '';
    return this.#getJson(`${path}${search}`, `QIDO-RS search for ${level}${search}`, signal);
  }

  /** A DICOM JSON array; 204 No Content (how QIDO-RS may say "no match") is an empty one. */
  async #getJson(path: string, what: string, signal?: AbortSignal): Promise<DicomJsonDataset[]> {
    const response = await dicomwebFetch(this.connection, path, {
      headers: { Accept: DICOM_JSON },
      what,
      ...(signal ? { signal } : {}),
    });
    const text = await response.text();
    if (response.status === 204 || text.trim() === '') {
      return [];
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!isDicomJsonArray(body)) {
      throw new PacsUnavailableError(
        this.url,
        `${what}: the answer is not a DICOM JSON array ('${text.slice(0, 80)}')`,
      );
    }
    return body;
  }
}

/** The query with `includefield` extended by the listing fields (unless the caller asked for `all`). */
function withIncludes(query: QidoQuery, fields: readonly string[]): QidoQuery {
  const asked = query['includefield'];
  const list = asked === undefined ? [] : Array.isArray(asked) ? asked : String(asked).split(',');
  if (list.includes('all')) {
    return query;
  }
  return { ...query, includefield: [...new Set([...list, ...fields])] };
}
