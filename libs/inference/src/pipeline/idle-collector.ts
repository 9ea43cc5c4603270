import { nativeHeapTrimmer } from './native-heap';

/** Node's `gc()` when it runs with `--expose-gc` (npm start passes it), else undefined. */
export function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as () => void) : undefined;
}

/** glibc's `malloc_trim(0)` where there is one (see {@link nativeHeapTrimmer}). */
async function trimNativeHeap(): Promise<void> {
  const trimmer = await nativeHeapTrimmer();
  if ('trim' in trimmer) {
    trimmer.trim();
  }
}

/** What an {@link IdleCollector} runs once idle; each part defaults to this process's own. */
export interface IdleCollectorOptions {
  /** A full garbage collection; default Node's `gc()` when exposed; undefined: none. */
  readonly gc?: (() => void) | undefined;
  /** Hands the freed native heap back to the system after `gc`; default glibc's `malloc_trim`; undefined: none. */
  readonly trimHeap?: (() => void | Promise<void>) | undefined;
  /** Idle time before both run; default 1 s. */
  readonly delayMs?: number;
}

/**
 * Runs one full garbage collection, then trims the native heap, once every owner (a worker pool) has been idle for
 * `delayMs`. V8 frees an ArrayBuffer's memory only when it collects the buffer, and an idle server allocates nothing
 * that would make it collect: after a spleen CT request the main thread kept the images the pipeline sent back
 * (43 MB) resident until the next request. Freed, that memory still stays with glibc's arenas until trimmed.
 * Does nothing without a `gc` function (Node without `--expose-gc`, test runners): the trim only follows a collection,
 * and a process that never collects on purpose (Jest's workers) gets no timer that outlives its tests.
 */
export class IdleCollector {
  readonly #gc: (() => void) | undefined;
  readonly #trimHeap: (() => void | Promise<void>) | undefined;
  readonly #delayMs: number;
  readonly #busy = new Set<object>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: IdleCollectorOptions = {}) {
    this.#gc = 'gc' in options ? options.gc : exposedGc();
    this.#trimHeap = 'trimHeap' in options ? options.trimHeap : trimNativeHeap;
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
        // a heap that cannot be trimmed here (see nativeHeapTrimmer) keeps its pages; nothing else depends on it
        void Promise.resolve(this.#trimHeap?.()).catch(() => undefined);
      }, this.#delayMs);
      // a pending collection never keeps the process alive
      this.#timer.unref();
    }
  }
}

/** The collector of this thread, shared by its worker pools (a collection pauses the whole thread). */
export const idleCollector = new IdleCollector();
