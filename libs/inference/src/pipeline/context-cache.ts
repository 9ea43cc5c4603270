import { type GeometryStep, LruCache, type MedicalImage, TransformContext } from '@aiaa/core';

/** Limits of a {@link ContextCache}. */
export interface ContextCacheOptions {
  /** Most snapshots kept (default 8). 0 disables the cache. */
  readonly maxEntries?: number;
  /** Most voxel bytes kept over all snapshots (default 512 MiB); a larger snapshot is not cached. */
  readonly maxBytes?: number;
}

/**
 * What the pre-transforms up to `cache_until` left in a context: its images, their geometric histories and its
 * properties. Immutable once taken: a restore copies it into the request's own context, so later steps of that
 * request never change the snapshot (images are immutable by convention; properties are structured-cloned).
 */
export class ContextSnapshot {
  private constructor(
    readonly images: readonly (readonly [string, MedicalImage])[],
    readonly histories: ReadonlyMap<string, readonly GeometryStep[]>,
    readonly properties: ReadonlyMap<string, unknown>,
    /** Voxel bytes held, each buffer counted once. */
    readonly bytes: number,
  ) {}

  /** Takes a snapshot of `ctx` (no voxel copy). */
  static of(ctx: TransformContext): ContextSnapshot {
    const images: [string, MedicalImage][] = [];
    const histories = new Map<string, readonly GeometryStep[]>();
    const buffers = new Set<ArrayBufferLike>();
    let bytes = 0;
    for (const name of ctx.imageNames()) {
      const image = ctx.getImage(name);
      images.push([name, image]);
      histories.set(name, ctx.geometryHistory(name).steps);
      if (!buffers.has(image.voxels.buffer)) {
        buffers.add(image.voxels.buffer);
        bytes += image.voxels.byteLength;
      }
    }
    const properties = new Map<string, unknown>();
    for (const name of propertyNamesOf(ctx)) {
      properties.set(name, structuredClone(ctx.getProperty(name)));
    }
    return new ContextSnapshot(images, histories, properties, bytes);
  }

  /**
   * A context for a new request (its params, signal and output folder) holding this snapshot's images, histories
   * and a fresh copy of its properties; whatever `ctx` holds under the same names is replaced.
   */
  restoreInto(ctx: TransformContext): TransformContext {
    for (const [name, image] of this.images) {
      ctx.deleteImage(name);
      ctx.setImage(name, image);
      for (const step of this.histories.get(name) ?? []) {
        ctx.recordGeometry(name, step);
      }
    }
    for (const [name, value] of this.properties) {
      ctx.setProperty(name, structuredClone(value));
    }
    return ctx;
  }
}

/**
 * A small LRU of {@link ContextSnapshot}s keyed by the request's image key (a session id plus model), bounded by
 * count and by voxel bytes. Serves AIAA's `cache_until`: repeated clicks on one session image skip loading and
 * resampling.
 */
export class ContextCache {
  readonly #snapshots: LruCache<ContextSnapshot>;

  constructor(options: ContextCacheOptions = {}) {
    this.#snapshots = new LruCache({
      maxEntries: options.maxEntries ?? 8,
      maxBytes: options.maxBytes ?? 512 * 1024 * 1024,
      bytesOf: (snapshot) => snapshot.bytes,
    });
  }

  get maxEntries(): number {
    return this.#snapshots.maxEntries;
  }

  get maxBytes(): number {
    return this.#snapshots.maxBytes;
  }

  /** Voxel bytes held now. */
  get bytes(): number {
    return this.#snapshots.bytes;
  }

  get size(): number {
    return this.#snapshots.size;
  }

  /** The snapshot under `key`, now the most recently used; undefined on a miss. */
  get(key: string): ContextSnapshot | undefined {
    return this.#snapshots.get(key);
  }

  /** Keeps `snapshot` under `key`, dropping the least recently used entries to stay within the limits. */
  set(key: string, snapshot: ContextSnapshot): void {
    this.#snapshots.set(key, snapshot);
  }

  /** True when a kept snapshot holds voxels in `buffer` (a worker must copy such voxels, not transfer them away). */
  holdsBuffer(buffer: ArrayBufferLike): boolean {
    for (const snapshot of this.#snapshots.values()) {
      if (snapshot.images.some(([, image]) => image.voxels.buffer === buffer)) {
        return true;
      }
    }
    return false;
  }

  delete(key: string): void {
    this.#snapshots.delete(key);
  }

  clear(): void {
    this.#snapshots.clear();
  }
}

/** The property names of a context, when it can list them (older contexts cannot: images only are cached then). */
function propertyNamesOf(ctx: TransformContext): string[] {
  const lister = (ctx as { propertyNames?: () => string[] }).propertyNames;
  return typeof lister === 'function' ? lister.call(ctx) : ['result'].filter((n) => ctx.hasProperty(n));
}
