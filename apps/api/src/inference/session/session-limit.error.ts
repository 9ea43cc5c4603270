import { AiaaError } from '@aiaa/core';

/** A new session would exceed the server's session count or disk budget: answered 503 (try again later). */
export class SessionLimitError extends AiaaError {
  constructor(message: string) {
    super('unavailable', message);
  }
}
