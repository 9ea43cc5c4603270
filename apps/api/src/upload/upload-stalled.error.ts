import { AiaaError } from '@aiaa/core';

/**
 * An upload whose client sent nothing for longer than `--upload_idle_timeout_sec` (a stalled network or a slowloris
 * client). The error filter answers it with 408 and closes the connection, since the rest of the body never comes.
 */
export class UploadStalledError extends AiaaError {
  constructor(what: string, idleMs: number) {
    super('timeout', `${what}: no bytes received for ${idleMs / 1000} s, upload abandoned (--upload_idle_timeout_sec)`);
  }
}

/** HTTP's "Request Timeout". */
export const UPLOAD_STALLED_STATUS = 408;
