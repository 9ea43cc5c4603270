/** Node's `gc()` when it runs with `--expose-gc` (npm start passes it), else undefined. */
export function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as () => void) : undefined;
}

/**
 * Runs one full garbage collection once every owner (a worker pool) has been idle for `delayMs`. V8 frees an
 * ArrayBuffer's memory only when it collects the buffer, and an idle server allocates nothing that would make it
 * collect: after a spleen CT request the main thread kept the images the pipeline sent back (43 MB) resident until the
 * next request. Does nothing without a `gc` function.
 */
export class IdleCollector {
  readonly #gc: (() => void) | undefined;
  readonly #delayMs: number;
  readonly #busy = new Set<object>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: { gc?: (() => void) | undefined; delayMs?: number } = {}) {
    this.#gc = 'gc' in options ? options.gc : exposedGc();
    this.#delayMs = options.delayMs ?? 1000;
  }

  /** Marks `owner` busy (nothing is collected meanwhile) or idle (forgotten; the last idle owner arms the timer). */
  set(owner: object, busy: boolean): void {
    if (busy) {
      this.#busy.add(owner);
      clearTimeout(this.#timer);
      this.#timer = undefined;
      return;
    }
    const wasBusy = this.#busy.delete(owner);
    const gc = this.#gc;
    if (wasBusy && this.#busy.size === 0 && gc) {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        gc();
      }, this.#delayMs);
      // a pending collection never keeps the process alive
      this.#timer.unref();
    }
  }
}

/** The collector of this thread, shared by its worker pools (a collection pauses the whole thread). */
export const idleCollector = new IdleCollector();
