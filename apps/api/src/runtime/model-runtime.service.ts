import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ModelNotFoundError, describeError, type TransformContext } from '@aiaa/core';
import type { LoadedModel, ModelFilter, ModelInfo, ModelRunOptions, ModelRunResult } from './loaded-model';

/** What one loaded model is doing, for the metrics: its runs in flight and those waiting for a worker. */
export interface ModelUsage {
  readonly name: string;
  /** The registry's version number, '' for a model loaded outside it. */
  readonly version: string;
  readonly running: number;
  readonly queued: number;
}

/**
 * The models loaded in this process, by name. Requests take a model with {@link get}; the registry swaps versions
 * with {@link replace}. A replaced or removed model is closed only after the runs that started on it have finished,
 * so an upload never breaks a request in flight.
 */
@Injectable()
export class ModelRuntimeService implements OnApplicationShutdown {
  readonly #logger = new Logger(ModelRuntimeService.name);
  readonly #models = new Map<string, TrackedModel>();
  /** Replaced models still closing. */
  readonly #retiring = new Set<Promise<void>>();
  /** Replaced models whose runs have not all finished yet. */
  readonly #finishing = new Set<TrackedModel>();

  /** The loaded model called `name`. @throws ModelNotFoundError */
  get(name: string): LoadedModel {
    const model = this.#models.get(name);
    if (!model) {
      throw new ModelNotFoundError(name);
    }
    return model;
  }

  has(name: string): boolean {
    return this.#models.has(name);
  }

  /** The models serving and those replaced but still finishing runs, with their runs in flight and queued. */
  usage(): ModelUsage[] {
    return [...this.#models.values(), ...this.#finishing].map((model) => ({
      name: model.info.name,
      version: model.info.active_version === undefined ? '' : String(model.info.active_version),
      running: model.running,
      queued: model.queued,
    }));
  }

  /** Loaded models matching the filter, sorted by name. */
  list(filter: ModelFilter = {}): LoadedModel[] {
    let models = [...this.#models.values()].sort((a, b) => a.info.name.localeCompare(b.info.name));
    if (filter.model !== undefined) {
      models = models.filter((m) => m.info.name === filter.model);
    }
    if (filter.type !== undefined) {
      const type = filter.type.toLowerCase();
      models = models.filter((m) => m.info.type.toLowerCase() === type);
    }
    if (filter.label !== undefined) {
      models = filterByLabel(models, filter.label);
    }
    return models;
  }

  /**
   * Makes `loaded` the model called `name` at once; the previous one (if any) closes in the background once the runs
   * that started on it are done, so an upload does not wait for long requests.
   */
  async replace(name: string, loaded: LoadedModel): Promise<void> {
    const previous = this.#models.get(name);
    this.#models.set(name, new TrackedModel(loaded));
    if (previous) {
      previous.successor = () => this.get(name);
      const retiring = this.#retire(name, previous).finally(() => this.#retiring.delete(retiring));
      this.#retiring.add(retiring);
    }
  }

  /** Unloads `name` (closing it once its runs are done). Returns whether it was loaded. */
  async remove(name: string): Promise<boolean> {
    const model = this.#models.get(name);
    if (!model) {
      return false;
    }
    this.#models.delete(name);
    model.successor = () => this.get(name);
    await this.#retire(name, model);
    return true;
  }

  /** Unloads every model, waiting for replaced ones still closing. */
  async closeAll(): Promise<void> {
    const names = [...this.#models.keys()];
    await Promise.all([...names.map((name) => this.remove(name)), ...this.#retiring]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeAll();
  }

  async #retire(name: string, model: TrackedModel): Promise<void> {
    this.#finishing.add(model);
    try {
      await model.retire();
    } catch (error) {
      // A failing close must not fail the upload or delete that replaced it: the new state is already in place.
      this.#logger.error(`closing model '${name}' failed: ${describeError(error)}`);
    } finally {
      this.#finishing.delete(model);
    }
  }
}

function filterByLabel(models: TrackedModel[], label: string): TrackedModel[] {
  const wanted = label.toLowerCase();
  const exact = models.filter((m) => m.info.labels.some((l) => l.toLowerCase() === wanted));
  return exact.length > 0 ? exact : models.filter((m) => m.info.labels.some((l) => l.toLowerCase().includes(wanted)));
}

/** Counts the runs in flight so that closing waits for them. */
class TrackedModel implements LoadedModel {
  #running = 0;
  #idle: (() => void) | undefined;
  #closed: Promise<void> | undefined;
  /**
   * Set once this model is replaced or removed: the model now serving its name (throws ModelNotFoundError when none
   * does). A request that took this model before its upload was read, and runs only after it closed, runs there.
   */
  successor: (() => LoadedModel) | undefined;

  constructor(private readonly inner: LoadedModel) {}

  get info(): ModelInfo {
    return this.inner.info;
  }

  get engine(): string {
    return this.inner.engine;
  }

  get queued(): number {
    return this.inner.queued;
  }

  /** Runs started and not yet finished. */
  get running(): number {
    return this.#running;
  }

  async run(ctx: TransformContext, options?: ModelRunOptions): Promise<ModelRunResult> {
    if (this.#closed !== undefined && this.successor) {
      return this.successor().run(ctx, options);
    }
    this.#running++;
    try {
      return await this.inner.run(ctx, options);
    } finally {
      this.#running--;
      if (this.#running === 0) {
        this.#idle?.();
      }
    }
  }

  /** Closing through the runtime is {@link ModelRuntimeService.remove}; this closes at once. */
  close(): Promise<void> {
    this.#closed ??= this.inner.close();
    return this.#closed;
  }

  async retire(): Promise<void> {
    if (this.#running > 0) {
      await new Promise<void>((resolve) => {
        this.#idle = resolve;
      });
    }
    await this.close();
  }
}
