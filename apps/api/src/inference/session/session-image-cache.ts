import type { MedicalImage } from '@aiaa/core';

/**
 * The decoded images of the most recently used sessions, so that repeated clicks on one session (deepgrow) skip
 * reading and inflating the file. Bounded by entries and bytes; least recently used first out. Images are shared,
 * never copied: transforms build new images instead of writing into their input.
 */
export class SessionImageCache {
  readonly #images = new Map<string, MedicalImage>();
  #bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(id: string): MedicalImage | undefined {
    const image = this.#images.get(id);
    if (image) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.#images.delete(id);
      this.#images.set(id, image);
    }
    return image;
  }

  set(id: string, image: MedicalImage): void {
    const bytes = image.voxels.byteLength;
    this.delete(id);
    if (bytes > this.maxBytes || this.maxEntries <= 0) {
      return;
    }
    while (this.#images.size >= this.maxEntries || this.#bytes + bytes > this.maxBytes) {
      const oldest = this.#images.keys().next();
      if (oldest.done) {
        break;
      }
      this.delete(oldest.value);
    }
    this.#images.set(id, image);
    this.#bytes += bytes;
  }

  delete(id: string): void {
    const image = this.#images.get(id);
    if (image) {
      this.#images.delete(id);
      this.#bytes -= image.voxels.byteLength;
    }
  }

  get bytes(): number {
    return this.#bytes;
  }
}
