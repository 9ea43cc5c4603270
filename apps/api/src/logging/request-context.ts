import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header carrying a request's id, read from the client when it sends a usable one and always sent back. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A client's own request id is kept when it is short and plain (it goes into every line of the request's log). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** What the request's log line and metrics say beyond the method, URL and status: filled in as the request runs. */
export interface RequestFacts {
  readonly id: string;
  /** The model and registry version that served it. */
  model?: string;
  version?: number;
  /** Milliseconds per stage, as `Server-Timing` sends them. */
  timingsMs?: Readonly<Record<string, number>>;
  /** Bytes of the multipart parts received. */
  bytesIn?: number;
}

const storage = new AsyncLocalStorage<RequestFacts>();
const FACTS = Symbol('request facts');
type RequestWithFacts = IncomingMessage & { [FACTS]?: RequestFacts };

/**
 * The facts of the request being handled, for the code that learns them (the model that ran, its stage timings);
 * undefined outside a request.
 */
export function currentRequest(): RequestFacts | undefined {
  return storage.getStore();
}

/** The facts of `req` (made by {@link requestContext}). */
export function factsOf(req: IncomingMessage): RequestFacts {
  const holder = req as RequestWithFacts;
  holder[FACTS] ??= { id: newRequestId() };
  return holder[FACTS];
}

/**
 * The first middleware of every request: gives it an id (the client's `X-Request-Id` when usable, else a new one),
 * sends the id back in `X-Request-Id`, and runs the rest of the request with its {@link RequestFacts} in reach.
 */
export function requestContext(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const sent = req.headers['x-request-id'];
  const holder = req as RequestWithFacts;
  holder[FACTS] = { id: typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : newRequestId() };
  res.setHeader(REQUEST_ID_HEADER, holder[FACTS].id);
  storage.run(holder[FACTS], next);
}

function newRequestId(): string {
  return randomBytes(8).toString('hex');
}
