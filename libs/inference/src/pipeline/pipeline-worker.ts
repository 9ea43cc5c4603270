import * as path from 'node:path';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { AiaaError, CancelledError, type TransformContext, describeError } from '@aiaa/core';
import { packContext, unpackContext, unpackError } from './context-transfer';
import { idleCollector } from './idle-collector';
import type { PipelineResult, PipelineRunOptions, PipelineStage } from './model-pipeline';
import type { PipelineFactoryRef, PipelineSpec, WorkerReply, WorkerRequest } from './pipeline-worker-protocol';

/** Options of a {@link PipelineWorkerPool}. */
export interface PipelineWorkerPoolOptions {
  /** What each worker builds (plain data). */
  readonly spec: PipelineSpec;
  /** The module whose export builds the pipeline inside each worker. */
  readonly factory: PipelineFactoryRef;
  /** Worker threads, each running one request at a time (default 1). */
  readonly workers?: number;
  /** Requests that may wait for a free worker (default 32); one more is refused with kind `unavailable`. */
  readonly maxQueue?: number;
  /**
   * Node options of the workers (default: the process's own, which carries a `-r @swc-node/register` hook). Running
   * TypeScript sources needs such a hook.
   */
  readonly execArgv?: readonly string[];
  /** Environment of the workers (default: the process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly resourceLimits?: ResourceLimits;
  /**
   * How long {@link PipelineWorkerPool.close} waits for a worker to finish what it runs and close its pipeline before
   * stopping it (default `CLOSE_TIMEOUT_MS`, 10 minutes).
   */
  readonly closeTimeoutMs?: number;
}

interface Job {
  readonly id: number;
  readonly ctx: TransformContext;
  readonly options: PipelineRunOptions;
  readonly resolve: (result: PipelineResult) => void;
  readonly reject: (error: unknown) => void;
  settled: boolean;
  detach?: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  /** True while a replacement worker builds its pipeline. */
  starting: boolean;
  /** What the worker threw last, uncaught (reported with its exit). */
  crash: string | undefined;
  /** Cache keys this worker ran lately: its `cache_until` snapshots live there. */
  readonly keys: Set<string>;
}

const MAX_KEYS_PER_WORKER = 256;
/**
 * A worker inside onnxruntime's run (synchronous on its thread: a 256³ MRI model takes a minute) cannot be stopped
 * safely: terminating it then aborts the whole process, because onnxruntime-node throws from the torn-down
 * environment. So close waits as long as a request may run (the server's default --request_timeout_sec), and stops a
 * worker only past that.
 */
const CLOSE_TIMEOUT_MS = 600_000;
const WORKER_ENTRY = path.join(__dirname, `pipeline-worker-main${path.extname(__filename)}`);

/**
 * Runs a model's pipeline in worker threads so that the server's event loop stays free: each worker builds its own
 * pipeline from {@link PipelineSpec} with the factory module, requests wait in a bounded queue, voxel buffers move to
 * the worker and back without copies, and a request that shares a `cacheKey` with an earlier one goes to the same
 * worker when it is free (the `cache_until` snapshots are per worker).
 */
export class PipelineWorkerPool {
  readonly #options: PipelineWorkerPoolOptions;
  readonly #slots: Slot[];
  readonly #queue: Job[] = [];
  readonly #maxQueue: number;
  #nextId = 1;
  #closing: Promise<void> | undefined;

  private constructor(
    options: PipelineWorkerPoolOptions,
    workers: Worker[],
    /** The stages of the pipeline, as the workers built it. */
    readonly stages: readonly PipelineStage[],
  ) {
    this.#options = options;
    this.#maxQueue = options.maxQueue ?? 32;
    this.#slots = workers.map((worker) => ({
      worker,
      job: undefined,
      starting: false,
      crash: undefined,
      keys: new Set(),
    }));
    for (const slot of this.#slots) {
      this.#watch(slot);
    }
  }

  /**
   * Starts the workers and waits until each has built the pipeline.
   * @throws what the factory threw in a worker (ConfigError naming the config path, plugin and engine errors keep
   * their kind), after stopping every worker.
   */
  static async create(options: PipelineWorkerPoolOptions): Promise<PipelineWorkerPool> {
    const count = options.workers ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`workers must be a positive integer, got ${count}`);
    }
    const started = await Promise.allSettled(Array.from({ length: count }, () => startWorker(options)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.worker] : []));
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason;
    }
    const first = started[0] as PromiseFulfilledResult<StartedWorker>;
    return new PipelineWorkerPool(options, workers, first.value.stages);
  }

  get modelName(): string {
    return this.#options.spec.modelName;
  }

  /** Requests waiting for a free worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Workers alive. */
  get size(): number {
    return this.#slots.length;
  }

  /**
   * Runs the pipeline on `ctx` in a worker. The context's large voxel buffers move to the worker when it starts the
   * request (the caller must not read `ctx`'s images afterwards); the result's context is new. Cancelling (the
   * options' signal) rejects at once with a CancelledError; the worker stops at its next stage boundary.
   * @throws AiaaError of kind `unavailable` when the queue is full or the pool is closed; what the pipeline throws
   * (PipelineStageError naming the model and stage, CancelledError), rebuilt on this thread.
   */
  run(ctx: TransformContext, options: PipelineRunOptions = {}): Promise<PipelineResult> {
    if (this.#closing) {
      return Promise.reject(new AiaaError('unavailable', `model '${this.modelName}' is closed`));
    }
    const signal = options.signal ?? ctx.signal;
    if (signal?.aborted) {
      return Promise.reject(new CancelledError(`model '${this.modelName}': cancelled before it started`));
    }
    const idle = this.#slots.some((s) => !s.job && !s.starting);
    if (!idle && this.#queue.length >= this.#maxQueue) {
      return Promise.reject(
        new AiaaError(
          'unavailable',
          `model '${this.modelName}': ${this.#queue.length} requests already wait for its ${this.#slots.length} worker(s) (queue limit ${this.#maxQueue})`,
        ),
      );
    }
    return new Promise<PipelineResult>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, ctx, options, resolve, reject, settled: false };
      if (signal) {
        const onAbort = (): void => this.#cancel(job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  /** Forgets a request key's `cache_until` snapshot in every worker. */
  evict(cacheKey: string): void {
    for (const slot of this.#slots) {
      slot.keys.delete(cacheKey);
      post(slot.worker, { type: 'evict', cacheKey });
    }
  }

  /**
   * Refuses queued requests, lets each worker close its pipeline (the inference's `close()`), then stops them.
   * Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#closeAll();
    return this.#closing;
  }

  async #closeAll(): Promise<void> {
    idleCollector.set(this, false);
    for (const job of this.#queue.splice(0)) {
      settle(job, () => job.reject(new AiaaError('unavailable', `model '${this.modelName}' was closed`)));
    }
    // A request still running (one its client or deadline abandoned) is refused now, and its worker told to stop at
    // its next stage; the worker closes once it gets there.
    for (const slot of this.#slots) {
      const job = slot.job;
      if (job) {
        settle(job, () => job.reject(new AiaaError('unavailable', `model '${this.modelName}' was closed`)));
        post(slot.worker, { type: 'cancel', id: job.id });
      }
    }
    const timeoutMs = this.#options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS;
    await Promise.all(this.#slots.map((slot) => closeWorker(slot.worker, timeoutMs)));
    for (const slot of this.#slots.splice(0)) {
      const job = slot.job;
      if (job) {
        settle(job, () => job.reject(new AiaaError('unavailable', `model '${this.modelName}' was closed`)));
      }
    }
  }

  #dispatch(): void {
    this.#startQueued();
    // Every state change passes here: once no request runs or waits, the thread's garbage (the volumes sent back) can go.
    idleCollector.set(this, this.#queue.length > 0 || this.#slots.some((s) => s.job !== undefined));
  }

  #startQueued(): void {
    while (this.#queue.length > 0) {
      const job = this.#queue[0] as Job;
      const key = job.options.cacheKey;
      const idle = this.#slots.filter((s) => !s.job && !s.starting);
      const slot = (key !== undefined ? idle.find((s) => s.keys.has(key)) : undefined) ?? idle[0];
      if (!slot) {
        return;
      }
      this.#queue.shift();
      slot.job = job;
      if (key !== undefined) {
        remember(slot.keys, key);
      }
      try {
        const { message, transfer } = packContext(job.ctx);
        post(slot.worker, { type: 'run', id: job.id, ctx: message, cacheKey: key }, transfer);
      } catch (error) {
        slot.job = undefined;
        settle(job, () => job.reject(error));
      }
    }
  }

  #cancel(job: Job): void {
    const queuedAt = this.#queue.indexOf(job);
    if (queuedAt >= 0) {
      this.#queue.splice(queuedAt, 1);
    } else {
      const slot = this.#slots.find((s) => s.job === job);
      if (slot) {
        post(slot.worker, { type: 'cancel', id: job.id });
      }
    }
    // The caller hears at once; a running worker stays busy until it reports, then takes the next request.
    settle(job, () => job.reject(new CancelledError(`model '${this.modelName}': cancelled`)));
  }

  #watch(slot: Slot): void {
    slot.worker.on('message', (reply: WorkerReply) => this.#onReply(slot, reply));
    slot.worker.once('exit', (code) => void this.#onExit(slot, code));
    // An 'error' event (uncaught exception in the worker) is followed by 'exit'; reported there.
    slot.worker.on('error', (error) => {
      slot.crash = describeError(error);
    });
  }

  #onReply(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    if (reply.type === 'stage') {
      if (job && job.id === reply.id && !job.settled) {
        job.options.onStage?.(reply.stage, reply.index, reply.total);
      }
      return;
    }
    if ((reply.type !== 'done' && reply.type !== 'failed') || !job || job.id !== reply.id) {
      return;
    }
    slot.job = undefined;
    if (reply.type === 'done') {
      const ctx = unpackContext(reply.ctx, job.ctx.signal);
      const result: PipelineResult = {
        ctx,
        timingsMs: reply.timingsMs,
        stages: reply.stages,
        cacheHit: reply.cacheHit,
      };
      settle(job, () => job.resolve(result));
    } else {
      settle(job, () => job.reject(unpackError(reply.error)));
    }
    this.#dispatch();
  }

  async #onExit(slot: Slot, code: number): Promise<void> {
    const index = this.#slots.indexOf(slot);
    if (index < 0 || this.#closing) {
      return;
    }
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      const why = slot.crash ? `: ${slot.crash}` : '';
      const message = `model '${this.modelName}': its pipeline worker stopped (exit code ${code}) during the request${why}`;
      settle(job, () => job.reject(new AiaaError('internal', message)));
    }
    // Replace the worker; until it is ready nothing is sent to the slot.
    slot.starting = true;
    try {
      const started = await startWorker(this.#options);
      slot.worker = started.worker;
      slot.keys.clear();
      slot.crash = undefined;
      slot.starting = false;
      this.#watch(slot);
      if (this.#closing) {
        await closeWorker(started.worker, 0);
        return;
      }
    } catch {
      this.#slots.splice(this.#slots.indexOf(slot), 1);
      if (this.#slots.length === 0) {
        for (const waiting of this.#queue.splice(0)) {
          const message = `model '${this.modelName}': no pipeline worker could be restarted`;
          settle(waiting, () => waiting.reject(new AiaaError('unavailable', message)));
        }
      }
    }
    this.#dispatch();
  }
}

interface StartedWorker {
  readonly worker: Worker;
  readonly stages: readonly PipelineStage[];
}

function startWorker(options: PipelineWorkerPoolOptions): Promise<StartedWorker> {
  const worker = new Worker(WORKER_ENTRY, {
    workerData: { factory: options.factory, spec: options.spec },
    ...(options.execArgv ? { execArgv: [...options.execArgv] } : {}),
    ...(options.env ? { env: { ...options.env } } : {}),
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  });
  return new Promise<StartedWorker>((resolve, reject) => {
    const fail = (error: unknown): void => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      void worker.terminate();
      reject(error);
    };
    const onMessage = (reply: WorkerReply): void => {
      if (reply.type === 'ready') {
        worker.off('message', onMessage);
        worker.off('error', fail);
        worker.off('exit', onExit);
        resolve({ worker, stages: reply.stages });
      } else if (reply.type === 'load-failed') {
        fail(unpackError(reply.error));
      }
    };
    const onExit = (code: number): void =>
      fail(new AiaaError('internal', `model '${options.spec.modelName}': pipeline worker exited (code ${code})`));
    worker.on('message', onMessage);
    worker.once('error', fail);
    worker.once('exit', onExit);
  });
}

/** Asks the worker to close its pipeline, then stops it (at once after `timeoutMs`). */
async function closeWorker(worker: Worker, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    const onMessage = (reply: WorkerReply): void => {
      if (reply.type === 'closed') {
        resolve();
      }
    };
    worker.on('message', onMessage);
    worker.once('exit', () => resolve());
  });
  post(worker, { type: 'close' });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([closed, timeout]);
  clearTimeout(timer);
  await worker.terminate();
}

function post(worker: Worker, request: WorkerRequest, transfer: ArrayBuffer[] = []): void {
  worker.postMessage(request, transfer);
}

function settle(job: Job, action: () => void): void {
  if (!job.settled) {
    job.settled = true;
    job.detach?.();
    action();
  }
}

/** Keeps `key` as the most recent of at most {@link MAX_KEYS_PER_WORKER} keys. */
function remember(keys: Set<string>, key: string): void {
  keys.delete(key);
  keys.add(key);
  if (keys.size > MAX_KEYS_PER_WORKER) {
    const oldest = keys.values().next().value;
    if (oldest !== undefined) {
      keys.delete(oldest);
    }
  }
}
