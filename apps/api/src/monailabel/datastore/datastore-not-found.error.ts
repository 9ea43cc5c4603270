import { AiaaError } from '@aiaa/core';

/** An image or label the datastore does not hold: answered 404, naming it. */
export class DatastoreNotFoundError extends AiaaError {
  constructor(what: string) {
    super('not-found', `datastore: ${what} not found`);
  }
}
