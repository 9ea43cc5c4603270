import { AiaaError, type ErrorKind, TooLargeError, describeError } from '../errors';

/** The DICOMweb server cannot be reached or failed (connection refused, timeout, 5xx, refused credentials). */
export class PacsUnavailableError extends AiaaError {
  constructor(
    readonly pacsUrl: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super('unavailable', `DICOMweb server ${pacsUrl} is unavailable: ${detail}`, options);
  }
}

/** A DICOMweb answer with a status the request cannot go on with, kept with its kind (404 → not-found, …). */
export class PacsRequestError extends AiaaError {
  constructor(
    kind: ErrorKind,
    readonly pacsUrl: string,
    readonly status: number,
    message: string,
  ) {
    super(kind, message);
  }
}

/** A retrieval stopped because the series passed the byte limit; `receivedBytes` were read when it stopped. */
export class SeriesTooLargeError extends TooLargeError {
  constructor(
    readonly seriesUid: string,
    readonly limitBytes: number,
    readonly receivedBytes: number,
    detail: string,
  ) {
    super(`DICOMweb series ${seriesUid}: ${detail}, over the ${limitBytes}-byte limit; the download was stopped`);
  }
}

/**
 * What `fetch` rejected with, in words: undici hides the socket error (ECONNREFUSED …) in `cause`. Duck-typed, as
 * undici's errors may come from another realm than this module's `Error`.
 */
export function describeFetchFailure(error: unknown): string {
  const message = (value: unknown): string | undefined =>
    typeof value === 'object' && value !== null && 'message' in value ? String(value.message) : undefined;
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  const causeText = message(cause);
  const text = message(error) ?? describeError(error);
  if (!causeText) {
    return text;
  }
  return typeof code === 'string' && !causeText.includes(code)
    ? `${text} (${code}: ${causeText})`
    : `${text} (${causeText})`;
}
