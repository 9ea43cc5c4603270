import { Inject, Injectable, Logger } from '@nestjs/common';
import { describeError } from '@aiaa/core';
import { MetricsService } from '../metrics/metrics.service';

/**
 * What happens to models, said once: each event is one structured log line (`event`, `model`, `version`, …) and
 * moves its counter. The registry and boot report through here.
 */
@Injectable()
export class ModelEvents {
  readonly #logger = new Logger('ModelRegistry');

  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  loaded(model: string, version: number, engine: string, startedMs: number): void {
    this.metrics.modelLoaded(model, version);
    const ms = Math.round(performance.now() - startedMs);
    this.#logger.log(
      { event: 'model_loaded', model, version, engine, ms },
      `model '${model}' version ${version} loaded (${engine}, ${ms} ms)`,
    );
  }

  loadFailed(model: string, version: number, error: unknown): void {
    this.metrics.modelLoadFailed(model, version);
    this.#logger.error(
      { event: 'model_load_failed', model, version, error: describeError(error) },
      `model '${model}' version ${version} failed to load and is not served: ${describeError(error)}`,
    );
  }

  activated(model: string, version: number, previous: number | undefined, why: string): void {
    this.metrics.versionActivated(model, version);
    this.#logger.log(
      { event: 'model_activated', model, version, previous: previous ?? null, why },
      `model '${model}': version ${version} active${previous === undefined ? '' : ` (was ${previous})`}: ${why}`,
    );
  }

  versionRemoved(model: string, version: number, why: string): void {
    this.#logger.log(
      { event: 'version_removed', model, version, why },
      `model '${model}' version ${version} removed: ${why}`,
    );
  }

  modelDeleted(model: string): void {
    this.#logger.log({ event: 'model_deleted', model }, `model '${model}' deleted`);
  }

  /** A version folder without a row was registered (the demo models at a first start, a restored workspace). */
  registered(model: string, version: number, folder: string): void {
    this.#logger.log({ event: 'version_registered', model, version }, `${folder} registered from its folder`);
  }

  /** Boot found something to set right (a vanished file, an interrupted upload): said at warn level. */
  repaired(model: string, detail: string, version?: number): void {
    this.#logger.warn(
      { event: 'registry_repaired', model, version: version ?? null, detail },
      `model '${model}': ${detail}`,
    );
  }

  /** Boot removed what an interrupted write left in staging. */
  stagingRemoved(entry: string): void {
    this.#logger.warn(
      { event: 'staging_removed', entry },
      `staging/${entry}: left by an interrupted upload or delete, removed`,
    );
  }

  /** Something boot could not take in (a folder without a config, a name it refuses). */
  refused(what: string, detail: string): void {
    this.#logger.error({ event: 'registry_refused', what, detail }, `${what}: ${detail}`);
  }
}
