import { Inject, Injectable } from '@nestjs/common';
import { CancelledError } from '@aiaa/core';
import { RetryLaterError } from '../common/status-errors';
import { AppConfig } from '../config/app-config';

/** What a request holds once admitted; releasing twice is harmless. */
export type ReleaseSlot = () => void;

/** Longest Retry-After the server suggests, in seconds. */
const MAX_RETRY_AFTER_SEC = 60;

/**
 * Bounds the image requests (inference, sessions, polygons) that run at once: `--max_heavy_requests` run, up to
 * `--heavy_queue` more wait their turn in arrival order, and one more is refused at once with 503 and a Retry-After
 * estimated from how long recent requests held their slot. Each such request holds up to `--request_budget_mb` of
 * arrays, so memory stays under slots × budget whatever the clients send. A waiting client that goes away leaves
 * the queue.
 */
@Injectable()
export class RequestSlots {
  readonly #slots: number;
  readonly #queueLength: number;
  readonly #waiting: { admit: () => void }[] = [];
  #running = 0;
  /** Mean seconds a slot was held, over recent requests (exponentially weighted). */
  #meanHoldSec = 1;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.#slots = config.maxHeavyRequests;
    this.#queueLength = config.heavyQueue;
  }

  /** Requests running now, and waiting. */
  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  /**
   * Waits for a slot; the returned function gives it back.
   * @throws RetryLaterError (503, Retry-After) when the queue is full; CancelledError when `signal` aborts first.
   */
  async acquire(signal: AbortSignal): Promise<ReleaseSlot> {
    if (this.#running < this.#slots) {
      return this.#hold();
    }
    if (this.#waiting.length >= this.#queueLength) {
      const retryAfterSec = Math.min(
        MAX_RETRY_AFTER_SEC,
        Math.max(1, Math.ceil((this.#meanHoldSec * (this.#waiting.length + 1)) / this.#slots)),
      );
      throw new RetryLaterError(
        503,
        `the server is busy: ${this.#running} image requests running and ${this.#waiting.length} waiting, ` +
          `the most it queues (--max_heavy_requests ${this.#slots}, --heavy_queue ${this.#queueLength}); retry in ${retryAfterSec} s`,
        retryAfterSec,
      );
    }
    signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const turn = {
        admit: (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#waiting.splice(this.#waiting.indexOf(turn), 1);
        reject(new CancelledError('the client went away while its request waited for a turn'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(turn);
    });
    return this.#hold();
  }

  #hold(): ReleaseSlot {
    this.#running++;
    const started = performance.now();
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      this.#meanHoldSec = 0.8 * this.#meanHoldSec + 0.2 * ((performance.now() - started) / 1000);
      this.#running--;
      this.#waiting.shift()?.admit();
    };
  }
}
