/**
 * Runs async work one at a time per key, in the order it was asked for: each piece waits for the one queued before
 * it under the same key, whether that succeeded or failed. Keys with nothing queued cost nothing.
 */
export class Serializer {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after everything queued before it under `key` has settled; resolves or rejects as `work` does. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const turn = previous.catch(() => undefined).then(work);
    this.#tails.set(key, turn);
    try {
      return await turn;
    } finally {
      if (this.#tails.get(key) === turn) {
        this.#tails.delete(key);
      }
    }
  }
}
