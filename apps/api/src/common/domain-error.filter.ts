import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { AiaaError, type ErrorKind } from '@aiaa/core';
import { databaseUnavailableError, isDatabaseUnreachable } from '../database/database-unreachable';
import { writeJson } from './http-reply';
import { SESSION_EXPIRED_STATUS, SessionNotFoundError } from './session-not-found.error';
import { RetryLaterError } from './status-errors';
import { UPLOAD_STALLED_STATUS, UploadStalledError } from '../upload/upload-stalled.error';

/** nginx's "client closed request": logged for a cancelled request, never sent to anyone. */
export const CLIENT_CLOSED_STATUS = 499;

/** The one table from error kind to HTTP status. */
const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  'invalid-input': 400,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media': 415,
  unavailable: 503,
  timeout: 504,
  cancelled: CLIENT_CLOSED_STATUS,
  internal: 500,
};

/** Every `kind` an error reply can carry: the library kinds (a cancelled request gets no reply) and Nest's `http`. */
export const ERROR_KINDS_SENT: readonly (ErrorKind | 'http')[] = [
  ...(Object.keys(STATUS_BY_KIND) as ErrorKind[]).filter((kind) => kind !== 'cancelled'),
  'http',
];

/**
 * The JSON body of every error reply (Nest's shape plus the error kind): `message` says what, where, expected versus
 * got; `error` is the status text.
 */
export interface ErrorReply {
  statusCode: number;
  error: string;
  message: string;
  kind: ErrorKind | 'http';
}

/**
 * An error of Express's body parsers (`http-errors`: a JSON or urlencoded body too large, not JSON, in an unknown
 * charset), which carries its own client-error status and a message meant for the client.
 */
interface BodyParserError {
  readonly type: string;
  readonly status: number;
  readonly message: string;
  readonly limit?: number;
  readonly length?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const e = error as Partial<BodyParserError> & { expose?: unknown };
  return (
    error instanceof Error &&
    typeof e.type === 'string' &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500 &&
    e.expose === true
  );
}

/**
 * The HTTP status of anything thrown: AiaaError kinds by the table, `SessionNotFoundError` → 440,
 * `UploadStalledError` → 408, `RetryLaterError` → its 429 or 503, the body
 * parsers' errors and Nest's own HttpExceptions (routing, guards) keep theirs, everything else 500.
 */
export function httpStatusOf(error: unknown): number {
  if (error instanceof SessionNotFoundError) {
    return SESSION_EXPIRED_STATUS;
  }
  if (error instanceof UploadStalledError) {
    return UPLOAD_STALLED_STATUS;
  }
  if (error instanceof RetryLaterError) {
    return error.status;
  }
  if (isBodyParserError(error)) {
    return error.status;
  }
  if (error instanceof AiaaError) {
    return STATUS_BY_KIND[error.kind];
  }
  if (error instanceof HttpException) {
    return error.getStatus();
  }
  return 500;
}

function errorReply(error: unknown, status: number, req: IncomingMessage, operation: string): ErrorReply {
  const statusText = status === SESSION_EXPIRED_STATUS ? 'Session Expired' : (STATUS_CODES[status] ?? 'Error');
  if (error instanceof AiaaError) {
    return { statusCode: status, error: statusText, message: error.message, kind: error.kind };
  }
  if (isBodyParserError(error)) {
    return { statusCode: status, error: statusText, message: bodyParserMessage(error, req), kind: 'http' };
  }
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? (response as { message: unknown }).message
        : error.message;
    const text = Array.isArray(message) ? message.join('; ') : String(message);
    return { statusCode: status, error: statusText, message: text, kind: 'http' };
  }
  return {
    statusCode: status,
    error: statusText,
    message: `${operation} failed: internal error (details in the server log)`,
    kind: 'internal',
  };
}

/**
 * The one place where errors become HTTP replies (registered globally in `createApp`): the JSON {@link ErrorReply}
 * with the status of {@link httpStatusOf}, or nothing when the client has gone. A 500 names only the operation that
 * failed (`PUT /admin/model/spleen`); its cause goes to the log.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  readonly #logger = new Logger('Errors');
  readonly #hidden: readonly ServerPath[];

  /**
   * @param hidden the server's folders (workspace, temp) that a reply never shows: each is replaced by its label, as
   *   a last guard behind messages written to name only the client's files and config paths.
   */
  constructor(hidden: readonly ServerPath[] = []) {
    // Longest first, so that a folder inside another keeps its own label.
    this.#hidden = [...hidden].filter((h) => h.path.length > 1).sort((a, b) => b.path.length - a.path.length);
  }

  catch(thrown: unknown, host: ArgumentsHost): void {
    const error = isDatabaseUnreachable(thrown) ? databaseUnavailableError(thrown) : thrown;
    const http = host.switchToHttp();
    const req = http.getRequest<IncomingMessage & { originalUrl?: string }>();
    const res = http.getResponse<ServerResponse>();
    const url = (req.originalUrl ?? req.url ?? '').split('?')[0];
    const operation = `${req.method ?? '?'} ${url}`;
    const status = httpStatusOf(error);
    if (status === CLIENT_CLOSED_STATUS) {
      this.#logger.log(`${operation}: cancelled by the client`);
      if (!res.headersSent && !res.destroyed) {
        res.statusCode = CLIENT_CLOSED_STATUS;
        res.end();
      }
      return;
    }
    const reply = errorReply(error, status, req, operation);
    const body = { ...reply, message: this.#hide(reply.message) };
    if (status >= 500 && !(error instanceof AiaaError)) {
      this.#logger.error(
        `${operation} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    } else {
      this.#logger.warn(`${operation} → ${status}: ${body.message}`);
    }
    if (res.headersSent || res.destroyed) {
      // The reply already started (a stream failed midway): the only honest signal left is a cut connection.
      res.destroy();
      return;
    }
    if (error instanceof RetryLaterError) {
      res.setHeader('Retry-After', String(error.retryAfterSec));
    }
    if (status === UPLOAD_STALLED_STATUS) {
      // The rest of the body is not coming: close after the reply instead of waiting to read it.
      res.setHeader('Connection', 'close');
    }
    writeJson(res, status, body);
  }

  #hide(message: string): string {
    let out = message;
    for (const { path, label } of this.#hidden) {
      out = out.split(path).join(label);
    }
    return out;
  }
}

/** A server folder and the label replies show in its place (`<workspace>`, `<tmp>`). */
export interface ServerPath {
  readonly path: string;
  readonly label: string;
}

/** A body parser's refusal in this server's words: what the body was, the limit, the form routes with files take. */
function bodyParserMessage(error: BodyParserError, req: IncomingMessage): string {
  const contentType = (req.headers['content-type'] ?? 'none').split(';')[0] ?? 'none';
  if (error.type === 'entity.too.large') {
    return (
      `request body: a ${contentType} body of ${error.length ?? '?'} bytes is over the ${error.limit ?? '?'}-byte limit ` +
      'of JSON and urlencoded bodies; routes that take images or models expect multipart/form-data'
    );
  }
  if (error.type === 'entity.parse.failed') {
    return `request body: not valid ${contentType}: ${error.message}`;
  }
  return `request body (${contentType}): ${error.message}`;
}
