import { AiaaError } from '@aiaa/core';

/**
 * An unknown or expired session. AIAA answers it with HTTP 440, which the official clients read as "session expired"
 * (Python `SESSION_EXPIRED`, C++ `AIAA_SESSION_TIMEOUT`); the error filter maps this class to 440.
 */
export class SessionNotFoundError extends AiaaError {
  constructor(readonly sessionId: string) {
    super('not-found', `session '${sessionId}' is unknown or has expired`);
  }
}

/** The status AIAA clients read as "session expired". */
export const SESSION_EXPIRED_STATUS = 440;
