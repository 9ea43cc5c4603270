import {
  AiaaError,
  CancelledError,
  describeError,
  EngineUnavailableError,
  type ErrorKind,
  TimeoutError,
} from '@aiaa/core';
import { status } from '@grpc/grpc-js';

/** Where a failed call went: the server, the RPC and the model it was about. */
export interface KServeCallSite {
  /** The server as errors name it, e.g. `Triton at 127.0.0.1:8001`. */
  readonly server: string;
  readonly rpc: string;
  readonly model?: string;
  /** The per-attempt deadline, for the timeout message. */
  readonly deadlineMs?: number;
  /** How many attempts were made (UNAVAILABLE is retried). */
  readonly attempts?: number;
  /** The caller's signal: a CANCELLED status after it aborted is a cancellation, not a server fault. */
  readonly signal?: AbortSignal;
}

/** A KServe call that the server answered with an error status (or a malformed answer); keeps the gRPC code. */
export class KServeCallError extends AiaaError {
  constructor(
    kind: ErrorKind,
    readonly rpc: string,
    /** The gRPC status code (`@grpc/grpc-js` `status`), or undefined for an answer that could not be used. */
    readonly grpcCode: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(kind, message, options);
  }
}

interface ServiceErrorLike {
  readonly code: number;
  readonly details?: string;
  readonly message: string;
}

function isServiceError(error: unknown): error is ServiceErrorLike {
  return error instanceof Error && typeof (error as Partial<ServiceErrorLike>).code === 'number';
}

/** `ModelInfer 'spleen'` or `ServerLive`. */
export function describeCall(site: KServeCallSite): string {
  return site.model === undefined ? site.rpc : `${site.rpc} '${site.model}'`;
}

/** `14 UNAVAILABLE: No connection established`. */
function describeStatus(error: ServiceErrorLike): string {
  const name = status[error.code] ?? 'UNKNOWN';
  return `${error.code} ${name}: ${error.details ?? error.message}`;
}

/**
 * The one conversion from a failed KServe gRPC call to a library error, keeping the status code (on the error, or on
 * its `cause` for the core error classes): UNAVAILABLE → EngineUnavailableError, DEADLINE_EXCEEDED → TimeoutError,
 * CANCELLED after the caller's signal aborted → CancelledError, NOT_FOUND → `not-found`, INVALID_ARGUMENT →
 * `invalid-input`, anything else → `internal` (a {@link KServeCallError}). Library errors pass through unchanged.
 */
export function toKServeError(error: unknown, site: KServeCallSite): AiaaError {
  if (error instanceof AiaaError) {
    return error;
  }
  const call = describeCall(site);
  if (!isServiceError(error)) {
    return new KServeCallError(
      'internal',
      site.rpc,
      undefined,
      `${site.server}: ${call} failed: ${describeError(error)}`,
      {
        cause: error,
      },
    );
  }
  const attempts = site.attempts !== undefined && site.attempts > 1 ? ` after ${site.attempts} attempts` : '';
  switch (error.code) {
    case status.UNAVAILABLE: {
      const detail = `${call} failed${attempts}: ${describeStatus(error)}`;
      return new EngineUnavailableError(
        site.server,
        new KServeCallError('unavailable', site.rpc, error.code, detail, { cause: error }),
      );
    }
    case status.DEADLINE_EXCEEDED: {
      const limit = site.deadlineMs === undefined ? 'its deadline' : `the ${site.deadlineMs} ms deadline`;
      const timeout = new TimeoutError(
        `${site.server}: ${call} did not answer within ${limit} (${describeStatus(error)})`,
      );
      // TimeoutError takes no cause; set it as the Error constructor would, so the status code stays reachable.
      Object.defineProperty(timeout, 'cause', { value: error, writable: true, configurable: true });
      return timeout;
    }
    case status.CANCELLED:
      if (site.signal?.aborted === true) {
        return new CancelledError(`${site.server}: ${call} cancelled by the caller`);
      }
      break;
    case status.NOT_FOUND:
      return new KServeCallError(
        'not-found',
        site.rpc,
        error.code,
        `${site.server}: ${call}: ${describeStatus(error)}`,
        {
          cause: error,
        },
      );
    case status.INVALID_ARGUMENT:
      return new KServeCallError(
        'invalid-input',
        site.rpc,
        error.code,
        `${site.server}: ${call}: ${describeStatus(error)}`,
        {
          cause: error,
        },
      );
    default:
      break;
  }
  // grpc-js reports an answer it could not decode as INTERNAL "Response message parsing error".
  const hint = /parsing error/i.test(error.details ?? '') ? ' (the answer is not a valid KServe v2 message)' : '';
  return new KServeCallError(
    'internal',
    site.rpc,
    error.code,
    `${site.server}: ${call} failed: ${describeStatus(error)}${hint}`,
    { cause: error },
  );
}

/** The gRPC status code behind an error thrown by the KServe client (looked up along the `cause` chain). */
export function grpcStatusOf(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof KServeCallError && current.grpcCode !== undefined) {
      return current.grpcCode;
    }
    if (isServiceError(current)) {
      return current.code;
    }
    current = current.cause;
  }
  return undefined;
}
