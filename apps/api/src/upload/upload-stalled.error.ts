import type { IncomingMessage } from 'node:http';
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

/**
 * Watches the body of `req`: when no chunk arrives for `idleMs` before the body ends, `onStall` runs once. A slow
 * upload that keeps moving is never cut, however long it takes (Node's own total request timeout is off for that
 * reason). Returns a function that stops watching. `idleMs` 0 watches nothing.
 */
export function watchUploadIdle(req: IncomingMessage, idleMs: number, onStall: () => void): () => void {
  if (idleMs <= 0 || req.complete) {
    return () => undefined;
  }
  const timer = setTimeout(onStall, idleMs);
  const onData = (): void => {
    timer.refresh();
  };
  const stop = (): void => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', stop);
    req.off('close', stop);
  };
  req.on('data', onData);
  req.once('end', stop);
  req.once('close', stop);
  return stop;
}
