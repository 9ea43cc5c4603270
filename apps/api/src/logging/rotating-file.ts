import * as fs from 'node:fs';
import * as path from 'node:path';

/** Older files kept beside the log: `aiaa.log.1` (newest) … `aiaa.log.3`. */
export const ROTATED_FILES = 3;

/**
 * An append-only file that rotates by size: once the next write would pass `maxBytes`, `aiaa.log` becomes
 * `aiaa.log.1` (the older ones shift, the oldest is dropped) and a new file starts, so the logs of a server that
 * runs for months stay within `maxBytes × (1 + ROTATED_FILES)`. Writes are synchronous: whole lines, in order.
 */
export class RotatingFile {
  #fd: number | undefined;
  #bytes: number;

  /** `maxBytes` 0: never rotate. */
  constructor(
    readonly file: string,
    private readonly maxBytes: number,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.#fd = fs.openSync(file, 'a');
    this.#bytes = fs.fstatSync(this.#fd).size;
  }

  write(line: string): void {
    if (this.#fd === undefined) {
      return;
    }
    const bytes = Buffer.byteLength(line);
    if (this.maxBytes > 0 && this.#bytes > 0 && this.#bytes + bytes > this.maxBytes) {
      this.#rotate();
    }
    if (this.#fd !== undefined) {
      fs.writeSync(this.#fd, line);
      this.#bytes += bytes;
    }
  }

  /** Closes the file; later writes are dropped. */
  close(): void {
    if (this.#fd !== undefined) {
      fs.closeSync(this.#fd);
      this.#fd = undefined;
    }
  }

  #rotate(): void {
    this.close();
    for (let n = ROTATED_FILES; n >= 1; n--) {
      const from = n === 1 ? this.file : `${this.file}.${n - 1}`;
      try {
        fs.renameSync(from, `${this.file}.${n}`);
      } catch {
        // A missing older file is no gap to fill.
      }
    }
    this.#fd = fs.openSync(this.file, 'a');
    this.#bytes = 0;
  }
}
