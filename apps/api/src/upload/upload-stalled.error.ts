import { AiaaError } from '@aiaa/core';

/** Why a request body was abandoned: silent too long, or still not whole at the request's deadline. */
export interface BodyDeadline {
  readonly kind: 'idle' | 'total';
  readonly ms: number;
}

/**
 * A request body whose client sent nothing for longer than `--upload_idle_timeout_sec` (a stalled network or a
 * slowloris client), or that was not whole within `--body_timeout_sec`. The error filter answers it with 408 and
 * closes the connection, since the rest of the body never comes.
 */
export class UploadStalledError extends AiaaError {
  constructor(what: string, deadline: BodyDeadline) {
    super('timeout', `${what}: ${describeBodyDeadline(deadline)}`);
  }
}

/** `no bytes received for 60 s, upload abandoned (--upload_idle_timeout_sec)`, or the whole-request form. */
export function describeBodyDeadline({ kind, ms }: BodyDeadline): string {
  return kind === 'idle'
    ? `no bytes received for ${ms / 1000} s, upload abandoned (--upload_idle_timeout_sec)`
    : `not received whole within ${ms / 1000} s, upload abandoned (--body_timeout_sec)`;
}

/** HTTP's "Request Timeout". */
export const UPLOAD_STALLED_STATUS = 408;
