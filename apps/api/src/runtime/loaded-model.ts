import type { TransformContext } from '@aiaa/core';

/**
 * One `/v1/models` entry, as the official clients read it: `version` is a string, `labels` an array; annotation
 * models add `padding`, `roi`, `sigma`; `inference.meta_data` keys (e.g. `deepgrow: "3D"`) are copied in.
 */
export interface ModelInfo {
  readonly name: string;
  readonly labels: readonly string[];
  readonly description: string;
  readonly version: string;
  readonly type: string;
  /** The registry's version that serves (`models/<name>/<active_version>`); absent for a model loaded outside it. */
  readonly active_version?: number;
  readonly [field: string]: unknown;
}

/** Options of one run. */
export interface ModelRunOptions {
  /** Aborted when the client goes away; the run rejects with a CancelledError. */
  readonly signal?: AbortSignal;
  /**
   * Names the request's image (a session id) for the config's `cache_until`: a later run with the same key starts
   * from the context the pre-transforms left at that step.
   */
  readonly cacheKey?: string;
}

/** What one run produced: the context after the writer (`ctx.writerOutput`), and milliseconds per stage. */
export interface ModelRunResult {
  readonly ctx: TransformContext;
  readonly timingsMs: Readonly<Record<string, number>>;
  /** True when the pre-transforms up to `cache_until` were skipped for a kept snapshot of the same image. */
  readonly cacheHit: boolean;
}

/** A model ready to serve: built from its config, its files and its plugins; closed exactly once. */
export interface LoadedModel {
  readonly info: ModelInfo;
  /** The engine it runs on: `AIAA` (in-process onnxruntime), `TRITON`, or `native` (uploaded with `?native=true`). */
  readonly engine: string;
  /** Runs waiting for a free worker thread (0 on the main thread). */
  readonly queued: number;
  /** Runs pre-transforms, inference, post-transforms and the writer on `ctx` (input image under `image`). */
  run(ctx: TransformContext, options?: ModelRunOptions): Promise<ModelRunResult>;
  /** Frees sessions and plugin instances. */
  close(): Promise<void>;
}

/** A filter of `GET /v1/models`: `label` matches case-insensitively, first exactly then as a substring. */
export interface ModelFilter {
  readonly model?: string;
  readonly label?: string;
  readonly type?: string;
}
