import { type DicomwebClient, type DicomwebSeries, LruCache, type MedicalImage, loadDicomwebSeries } from '@aiaa/core';

/** Limits of a {@link DicomwebSeriesCache}. */
export interface DicomwebSeriesCacheOptions {
  /** Most series kept. */
  readonly maxEntries: number;
  /** Most voxel bytes kept over all series; least recently used out first. */
  readonly maxBytes: number;
  /** Most bytes downloaded for one series (413 past it). */
  readonly maxSeriesBytes: number;
}

/** A series' volume with what QIDO-RS said of the series (its study, patient and listing fields). */
export interface CachedSeries {
  readonly series: DicomwebSeries;
  /** Shared by every request on the series: never written into (a run takes a copy). */
  readonly image: MedicalImage;
}

/**
 * The volumes of series retrieved from the PACS, by SeriesInstanceUID, so that repeated clicks on one series do not
 * fetch it again: bounded by count and voxel bytes (the LRU that keeps session images), and one download per series
 * however many requests ask for it at once.
 */
export class DicomwebSeriesCache {
  readonly #entries: LruCache<CachedSeries>;
  readonly #loading = new Map<string, Promise<CachedSeries>>();

  constructor(
    private readonly client: DicomwebClient,
    private readonly options: DicomwebSeriesCacheOptions,
  ) {
    this.#entries = new LruCache({
      maxEntries: options.maxEntries,
      maxBytes: options.maxBytes,
      bytesOf: (entry) => entry.image.voxels.byteLength,
    });
  }

  /** Voxel bytes held now. */
  get bytes(): number {
    return this.#entries.bytes;
  }

  /**
   * The series' volume, from the cache or the PACS. A caller that gives up (its signal) leaves the download to
   * finish for the others and the cache.
   *
   * @throws what {@link loadDicomwebSeries} throws; the signal's reason when it aborts first.
   */
  async get(seriesUid: string, signal?: AbortSignal): Promise<CachedSeries> {
    const cached = this.#entries.get(seriesUid);
    if (cached) {
      return cached;
    }
    let loading = this.#loading.get(seriesUid);
    if (!loading) {
      loading = loadDicomwebSeries(this.client, seriesUid, { maxBytes: this.options.maxSeriesBytes })
        .then(({ series, image }) => {
          const entry = { series, image };
          this.#entries.set(seriesUid, entry);
          return entry;
        })
        .finally(() => this.#loading.delete(seriesUid));
      // A load whose callers all gave up still settles: keep its failure from becoming an unhandled rejection.
      loading.catch(() => undefined);
      this.#loading.set(seriesUid, loading);
    }
    return signal ? untilAborted(loading, signal) : loading;
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
