/** How {@link LruCache} weighs and bounds its entries. */
export interface LruCacheOptions<V> {
  /** Most entries kept; 0 keeps nothing. */
  readonly maxEntries: number;
  /** Most bytes kept over all entries; an entry larger than this is not kept at all. */
  readonly maxBytes: number;
  /** The bytes an entry holds (voxels, usually). */
  readonly bytesOf: (value: V) => number;
}

/**
 * A least-recently-used map bounded by entry count and by bytes: adding an entry drops the least recently used ones
 * until it fits. Values are kept as given, never copied. Serves the session image cache (decoded images of recent
 * sessions) and the pipeline's `cache_until` snapshots.
 */
export class LruCache<V> {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly #bytesOf: (value: V) => number;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  readonly #entries = new Map<string, { readonly value: V; readonly bytes: number }>();
  #bytes = 0;

  constructor(options: LruCacheOptions<V>) {
    this.maxEntries = options.maxEntries;
    this.maxBytes = options.maxBytes;
    this.#bytesOf = options.bytesOf;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value under `key`, now the most recently used; undefined on a miss. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry?.value;
  }

  /** Keeps `value` under `key` (replacing what was there), dropping the least recently used to stay in bounds. */
  set(key: string, value: V): void {
    this.delete(key);
    const bytes = this.#bytesOf(value);
    if (this.maxEntries <= 0 || bytes > this.maxBytes) {
      return;
    }
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size < this.maxEntries && this.#bytes + bytes <= this.maxBytes) {
        break;
      }
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** The values held, least recently used first (without touching their order). */
  values(): IterableIterator<V> {
    return Array.from(this.#entries.values(), (entry) => entry.value).values();
  }
}
