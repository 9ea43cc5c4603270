import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { writeJson } from '../common/http-reply';
import { type BodyDeadline, UPLOAD_STALLED_STATUS, describeBodyDeadline } from './upload-stalled.error';

/** The event a stalled body emits on its request, with its {@link BodyDeadline}, for a reader that words its 408. */
const BODY_STALLED = 'aiaa:body-stalled';

/** The server-wide deadlines of requests, set deliberately rather than left to Node's defaults. */
export interface RequestDeadlines {
  /** Longest silence within any request body (0: never), `--upload_idle_timeout_sec`. */
  readonly bodyIdleMs: number;
  /** Longest a request body may take to arrive whole (0: no limit), `--body_timeout_sec`. */
  readonly requestMs: number;
}

/** Headers must arrive within this: a client opening connections and sending nothing holds each for 20 s at most. */
const HEADERS_TIMEOUT_MS = 20_000;
/** An idle keep-alive connection is closed after this (Node's default, set here on purpose). */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * Applies the deadlines to `server`: headers within 20 s, idle keep-alive connections closed after 5 s, and one
 * watcher for every request body whatever reads it (the multipart receiver, the JSON and urlencoded parsers, or Node
 * discarding the body of a 404 or a refused admin request): a body silent for `bodyIdleMs` while the server reads it,
 * or not whole `requestMs` after the request came, is abandoned. A reader that listens with {@link onBodyStalled}
 * answers in its own words; otherwise the reply is a 408 from here and the connection is closed. Sockets are never
 * timed out as such: a long inference sends nothing and must not be cut.
 */
export function applyRequestDeadlines(server: Server, deadlines: RequestDeadlines): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // The body deadlines below are this server's own (exact, and worded); Node's coarser one stays off.
  server.requestTimeout = 0;
  server.timeout = 0;
  if (deadlines.bodyIdleMs > 0 || deadlines.requestMs > 0) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => watchBody(req, res, deadlines));
  }
}

/**
 * Calls `onStall` when the body of `req` passes a deadline (see {@link applyRequestDeadlines}); returns a function
 * that stops listening.
 */
export function onBodyStalled(req: IncomingMessage, onStall: (deadline: BodyDeadline) => void): () => void {
  req.once(BODY_STALLED, onStall);
  return () => {
    req.off(BODY_STALLED, onStall);
  };
}

function hasBody(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return length > 0 || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Watches the bytes the socket receives while the body comes. Only silence while someone reads counts as idle: a body
 * nobody reads yet (the route is still deciding) or one held back by a slow disk is not the client's fault.
 */
function watchBody(req: IncomingMessage, res: ServerResponse, deadlines: RequestDeadlines): void {
  if (req.complete || !hasBody(req)) {
    return;
  }
  const { bodyIdleMs, requestMs } = deadlines;
  const socket = req.socket;
  const started = Date.now();
  let seen = socket.bytesRead;
  let quietSince = started;
  const tick = Math.max(10, Math.min(1000, ...[bodyIdleMs, requestMs].filter((ms) => ms > 0).map((ms) => ms / 4)));
  const timer = setInterval(() => {
    const now = Date.now();
    if (requestMs > 0 && now - started >= requestMs) {
      stop();
      stalled(req, res, { kind: 'total', ms: requestMs });
      return;
    }
    if (socket.bytesRead !== seen || req.readableFlowing !== true) {
      seen = socket.bytesRead;
      quietSince = now;
    } else if (bodyIdleMs > 0 && now - quietSince >= bodyIdleMs) {
      stop();
      stalled(req, res, { kind: 'idle', ms: bodyIdleMs });
    }
  }, tick);
  timer.unref();
  const stop = (): void => {
    clearInterval(timer);
    req.off('end', stop);
    req.off('close', stop);
  };
  req.once('end', stop);
  req.once('close', stop);
}

function stalled(req: IncomingMessage, res: ServerResponse, deadline: BodyDeadline): void {
  if (req.emit(BODY_STALLED, deadline)) {
    return;
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.setHeader('Connection', 'close');
  res.once('finish', () => req.socket.destroy());
  writeJson(res, UPLOAD_STALLED_STATUS, {
    statusCode: UPLOAD_STALLED_STATUS,
    error: 'Request Timeout',
    message: `request body: ${describeBodyDeadline(deadline)}`,
    kind: 'timeout',
  });
}
