import type { IncomingMessage } from 'node:http';

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
