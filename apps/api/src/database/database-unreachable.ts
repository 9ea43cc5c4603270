import { AiaaError, describeError } from '@aiaa/core';

/** Node's socket errors of a connection that cannot be made or was cut. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/**
 * Whether `error` says the database server cannot be reached, rather than that a statement failed: a refused or cut
 * socket, PostgreSQL's connection-exception class (SQLSTATE 08…) or its shutdown and start-up codes (57P01-57P03),
 * or the `pg` driver's own words for a connection that ended. TypeORM wraps driver errors (`driverError`).
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || /^08|^57P0[123]$/.test(code))) {
      return true;
    }
    if (
      /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
        current.message,
      )
    ) {
      return true;
    }
    const inner = (current as { driverError?: unknown; cause?: unknown }).driverError ?? current.cause;
    current = inner;
  }
  return false;
}

/** The 503 for a request that needed the registry database while it is unreachable. */
export function databaseUnavailableError(error: unknown): AiaaError {
  return new AiaaError(
    'unavailable',
    `the registry database is unreachable (${describeError(error)}); models already loaded keep serving inference, ` +
      'registry changes and listings wait for the database: retry when it is back',
    { cause: error },
  );
}
