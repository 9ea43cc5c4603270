import { AiaaError } from '@aiaa/core';

/**
 * A request refused for now that may succeed later: 503 when the server is busy (its queue of image requests or its
 * staging space is full), 429 when this client is over its own quota while others keep working. The reply carries
 * `Retry-After: retryAfterSec`.
 */
export class RetryLaterError extends AiaaError {
  constructor(
    readonly status: 429 | 503,
    message: string,
    readonly retryAfterSec: number,
  ) {
    super('unavailable', message);
  }
}
