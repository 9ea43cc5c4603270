import {
  AiaaError,
  CancelledError,
  ConfigError,
  type CustomTransformResolver,
  type Transform,
  TransformContext,
  type TransformRegistry,
  describeError,
} from '@aiaa/core';
import type { Inference } from '../inference';
import type { ModelConfig } from '../model-config';
import { ContextCache, type ContextCacheOptions, ContextSnapshot } from './context-cache';

/**
 * What runs the `inference` stage: an {@link Inference} subclass, or anything with the same two methods (a user's
 * class loaded by the plugins loader).
 */
export type InferenceStep = Pick<Inference, 'inference' | 'close'>;

/**
 * Builds the inference of a model from its config: `name` is `config.inferenceName()` (a built-in such as
 * `NativeInference`, or a user's `module.Class`), `args` is `config.inferenceArgs().all`.
 */
export type InferenceResolver = (
  name: string,
  args: Readonly<Record<string, unknown>>,
  config: ModelConfig,
) => Promise<InferenceStep> | InferenceStep;

/** What {@link ModelPipeline.load} needs. */
export interface ModelPipelineOptions {
  readonly config: ModelConfig;
  /** The transform catalogue (built-in names and aliases). */
  readonly registry: TransformRegistry;
  readonly resolveInference: InferenceResolver;
  /** Builds pre/post-transforms the catalogue does not know (`module.Class` in `<workspace>/lib`). */
  readonly resolveTransform?: CustomTransformResolver;
  /** Builds a writer the catalogue does not know. */
  readonly resolveWriter?: CustomTransformResolver;
  /** Limits of the `cache_until` snapshots (default: 8 entries, 512 MiB). */
  readonly cache?: ContextCacheOptions;
  /** Runs once at {@link ModelPipeline.close}, after the inference's `close()` (plugins, engine sessions). */
  readonly onClose?: () => Promise<void>;
}

/** The four kinds of stage, named as the config's sections. */
export type StageKind = 'pre_transforms' | 'inference' | 'post_transforms' | 'writer';

/** One step of a loaded pipeline. */
export interface PipelineStage {
  readonly kind: StageKind;
  /** The name as written in the config (`LoadNifti`, `custom_inference.CustomInference`). */
  readonly name: string;
  /** Where in the config it came from: `pre_transforms[2]`, `inference`, `writer`. */
  readonly path: string;
}

/** Options of one {@link ModelPipeline.run}. */
export interface PipelineRunOptions {
  /** Aborts the run between stages (and inside stages that check the context's signal). */
  readonly signal?: AbortSignal;
  /** Called before each stage that runs, with its index among all `total` stages of the pipeline. */
  readonly onStage?: (stage: PipelineStage, index: number, total: number) => void;
  /**
   * Identifies the request's image (session id, file hash) for `cache_until`: a second run with the same key starts
   * from the context the pre-transforms left after the `cache_until` step.
   */
  readonly cacheKey?: string;
}

/** Milliseconds spent per kind of stage, and in the whole run. */
export interface StageTimings {
  pre_transforms: number;
  inference: number;
  post_transforms: number;
  writer: number;
  total: number;
}

/** Time of one stage that ran. */
export interface StageTiming extends PipelineStage {
  readonly ms: number;
}

/** What {@link ModelPipeline.run} returns. */
export interface PipelineResult {
  /** The context after the writer (the inference may return a new one). `ctx.writerOutput` holds the result. */
  readonly ctx: TransformContext;
  readonly timingsMs: StageTimings;
  /** Each stage that ran, in order (stages skipped by a cache hit are absent). */
  readonly stages: readonly StageTiming[];
  /** True when the pre-transforms up to `cache_until` were skipped. */
  readonly cacheHit: boolean;
}

/**
 * An error thrown inside one stage of a model's pipeline, wrapped to say which model and which stage; `kind` is the
 * original error's (`internal` for errors that are not the libraries' own) and `cause` is the original error.
 */
export class PipelineStageError extends AiaaError {
  readonly stage: PipelineStage;

  constructor(
    readonly modelName: string,
    stage: PipelineStage,
    cause: unknown,
  ) {
    super(
      cause instanceof AiaaError ? cause.kind : 'internal',
      `model '${modelName}': ${stage.path} ${stage.name} failed: ${describeError(cause)}`,
      { cause },
    );
    this.stage = { kind: stage.kind, name: stage.name, path: stage.path };
  }
}

interface BuiltStage extends PipelineStage {
  run(ctx: TransformContext): Promise<TransformContext>;
}

/**
 * A loaded model's whole `config_aiaa.json` (pre-transforms → inference → post-transforms → writer), built once at
 * load time and run per request, as MONAI Label's `BasicInferTask`: the pipeline stays data (a list of named stages
 * with per-stage timings). Runs may overlap; each has its own context.
 */
export class ModelPipeline {
  readonly #stages: readonly BuiltStage[];
  readonly #inference: InferenceStep;
  /** Index in `#stages` of the `cache_until` step, or -1. */
  readonly #cacheAfter: number;
  readonly #cache: ContextCache;
  #closing: Promise<void> | undefined;

  private constructor(
    readonly config: ModelConfig,
    stages: BuiltStage[],
    inference: InferenceStep,
    cacheAfter: number,
    cache: ContextCacheOptions | undefined,
    private readonly onClose: (() => Promise<void>) | undefined,
  ) {
    this.#stages = stages;
    this.#inference = inference;
    this.#cacheAfter = cacheAfter;
    this.#cache = new ContextCache(cache);
  }

  /**
   * Builds every stage of `options.config`: transforms by name with validated args, the writer, then the inference.
   * @throws ConfigError naming the config path (`pre_transforms[2] ScaleIntensityRange: a_min must be a number`,
   * `cache_until: …`); whatever `resolveInference` throws (a plugin or engine load error), unchanged.
   */
  static async load(options: ModelPipelineOptions): Promise<ModelPipeline> {
    const { config, registry } = options;
    const pre = registry.buildList(config.preTransforms, 'pre_transforms', options.resolveTransform);
    const post = registry.buildList(config.postTransforms, 'post_transforms', options.resolveTransform);
    const writer = config.writer ? registry.build(config.writer, 'writer', options.resolveWriter) : undefined;
    const cacheAfter = findCacheStep(config.cacheUntil, pre);
    const inferenceName = config.inferenceName();
    const inference = await options.resolveInference(inferenceName, config.inferenceArgs().all, config);
    const stages: BuiltStage[] = [
      ...pre.map((t) => transformStage('pre_transforms', t)),
      {
        kind: 'inference',
        name: inferenceName,
        path: 'inference',
        run: (ctx) => inference.inference(config.name, ctx, config, config.tritonModelConfig()),
      },
      ...post.map((t) => transformStage('post_transforms', t)),
      ...(writer ? [transformStage('writer', writer)] : []),
    ];
    return new ModelPipeline(config, stages, inference, cacheAfter, options.cache, options.onClose);
  }

  /** The stages in run order. */
  get stages(): readonly PipelineStage[] {
    return this.#stages.map(({ kind, name, path }) => ({ kind, name, path }));
  }

  /** The `cache_until` step, when the config names one. */
  get cacheUntil(): PipelineStage | undefined {
    const stage = this.#stages[this.#cacheAfter];
    return stage ? { kind: stage.kind, name: stage.name, path: stage.path } : undefined;
  }

  /**
   * Runs every stage on `ctx`. The signal (options' or the context's) is checked before each stage.
   * @throws CancelledError when the signal fires; PipelineStageError naming the model and stage when a stage throws.
   */
  async run(ctx: TransformContext, options: PipelineRunOptions = {}): Promise<PipelineResult> {
    if (this.#closing) {
      throw new AiaaError('unavailable', `model '${this.config.name}' is closed`);
    }
    let current = withSignal(ctx, options.signal);
    const signal = current.signal;
    const timings: StageTimings = { pre_transforms: 0, inference: 0, post_transforms: 0, writer: 0, total: 0 };
    const ran: StageTiming[] = [];
    const started = performance.now();
    const cacheKey = this.#cacheAfter >= 0 ? options.cacheKey : undefined;
    const snapshot = cacheKey === undefined ? undefined : this.#cache.get(cacheKey);
    let first = 0;
    if (snapshot) {
      current = snapshot.restoreInto(current);
      first = this.#cacheAfter + 1;
    }
    const total = this.#stages.length;
    for (let index = first; index < total; index++) {
      const stage = this.#stages[index] as BuiltStage;
      if (signal?.aborted) {
        throw new CancelledError(`model '${this.config.name}': cancelled before ${stage.path} ${stage.name}`);
      }
      options.onStage?.({ kind: stage.kind, name: stage.name, path: stage.path }, index, total);
      const t0 = performance.now();
      try {
        current = await untilAborted(
          stage.run(current),
          signal,
          `model '${this.config.name}': cancelled during ${stage.path} ${stage.name}`,
        );
      } catch (error) {
        if (error instanceof CancelledError || signal?.aborted) {
          throw error instanceof CancelledError ? error : new CancelledError(`model '${this.config.name}': cancelled`);
        }
        throw new PipelineStageError(this.config.name, stage, error);
      }
      const ms = performance.now() - t0;
      timings[stage.kind] += ms;
      ran.push({ kind: stage.kind, name: stage.name, path: stage.path, ms });
      if (index === this.#cacheAfter && cacheKey !== undefined) {
        this.#cache.set(cacheKey, ContextSnapshot.of(current));
      }
    }
    timings.total = performance.now() - started;
    return { ctx: current, timingsMs: timings, stages: ran, cacheHit: snapshot !== undefined };
  }

  /** True when a `cache_until` snapshot holds voxels in `buffer`: they must stay here, not move to another thread. */
  holdsCachedVoxels(buffer: ArrayBufferLike): boolean {
    return this.#cache.holdsBuffer(buffer);
  }

  /** Forgets the `cache_until` snapshot of one request key (its session was deleted). */
  evict(cacheKey: string): void {
    this.#cache.delete(cacheKey);
  }

  /**
   * Closes the inference, then runs `onClose` even when that failed (once; later calls share the first result), and
   * drops the cache.
   * @throws what the inference's `close()` or `onClose` threw (the first of them).
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#cache.clear();
      try {
        await this.#inference.close();
      } finally {
        await this.onClose?.();
      }
    })();
    return this.#closing;
  }
}

function transformStage(kind: StageKind, transform: Transform): BuiltStage {
  return {
    kind,
    name: transform.name,
    path: transform.path,
    async run(ctx) {
      await transform.apply(ctx);
      return ctx;
    },
  };
}

/**
 * The index of the `cache_until` step among the pre-transforms: `ALL` is the last one, a number is an index, any other
 * string names a pre-transform (its first occurrence).
 * @throws ConfigError naming `cache_until` when it matches none.
 */
function findCacheStep(cacheUntil: string | undefined, pre: readonly Transform[]): number {
  if (cacheUntil === undefined) {
    return -1;
  }
  if (cacheUntil.toUpperCase() === 'ALL') {
    return pre.length - 1;
  }
  if (/^\d+$/.test(cacheUntil)) {
    const index = Number(cacheUntil);
    if (index >= pre.length) {
      throw new ConfigError('cache_until', `index ${index} is past the last pre-transform (${pre.length} given)`);
    }
    return index;
  }
  const index = pre.findIndex((t) => t.name === cacheUntil);
  if (index < 0) {
    const names = pre.map((t) => t.name).join(', ') || 'none';
    throw new ConfigError('cache_until', `'${cacheUntil}' is not one of the pre-transforms (${names})`);
  }
  return index;
}

/**
 * `work`, or a rejection as soon as `signal` aborts: a stage that never returns (a hung plugin) must not keep the run,
 * and the model's close waiting for it, pending forever. The abandoned stage's own outcome is ignored.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, message: string): Promise<T> {
  if (!signal) {
    return work;
  }
  return new Promise<T>((resolve, reject) => {
    // A stage that stops on the abort itself settles first (and keeps its own outcome); only one still running after
    // that is abandoned.
    const onAbort = (): void => {
      setImmediate(() => reject(new CancelledError(message)));
    };
    if (signal.aborted) {
      onAbort();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `ctx` itself when it already watches `signal`; otherwise a fork watching both its own signal and `signal`. */
function withSignal(ctx: TransformContext, signal: AbortSignal | undefined): TransformContext {
  if (!signal || signal === ctx.signal) {
    return ctx;
  }
  return ctx.fork(ctx.signal ? AbortSignal.any([ctx.signal, signal]) : signal);
}
