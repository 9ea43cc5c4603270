import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/**
 * The disk space all uploads in progress may take together (`--max_staging_mb`): file parts take their bytes as they
 * arrive and give them back when the request's folder is removed. Bounds the staging folders (`sessions/tmp`,
 * `staging`) whatever number of clients upload at once.
 */
@Injectable()
export class UploadSpace {
  readonly limitBytes: number;
  #usedBytes = 0;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.limitBytes = config.maxStagingBytes;
  }

  get usedBytes(): number {
    return this.#usedBytes;
  }

  /** Takes `bytes` if they fit, and says whether they did. */
  take(bytes: number): boolean {
    if (this.#usedBytes + bytes > this.limitBytes) {
      return false;
    }
    this.#usedBytes += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#usedBytes = Math.max(0, this.#usedBytes - bytes);
  }
}
