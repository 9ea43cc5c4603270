import type { TransformContext } from '@aiaa/core';
import { ENGINE_RUNS_PROPERTY } from '@aiaa/inference';
import { currentRequest } from '../logging/request-context';
import type { LoadedModel } from '../runtime/loaded-model';
import type { RequestLabels } from './metrics.service';

/** The `model` label of a request that named no loaded model (a model name cannot start with `_`). */
export const UNKNOWN_MODEL = '_unknown';

/**
 * One inference request as the metrics and its log line see it: the route learns the model it runs on
 * ({@link ranOn}) and how the run went ({@link finished}); {@link MetricsService.track} counts the outcome.
 */
export class TrackedRequest {
  readonly labels: RequestLabels;
  timingsMs: Readonly<Record<string, number>> = {};
  engineRuns = 0;

  constructor(route: string, protocol: string) {
    this.labels = { model: UNKNOWN_MODEL, version: '', route, protocol };
  }

  /** The model (and its registry version) the request runs on: its labels, and its log line's `model`/`version`. */
  ranOn(model: LoadedModel): void {
    const version = model.info.active_version;
    this.labels.model = model.info.name;
    this.labels.version = version === undefined ? '' : String(version);
    const facts = currentRequest();
    if (facts) {
      facts.model = model.info.name;
      facts.version = version;
    }
  }

  /** The run's stage timings and the engine executions its inference counted (1 when it counted none). */
  finished(timingsMs: Readonly<Record<string, number>>, ctx: TransformContext): void {
    this.timingsMs = timingsMs;
    this.engineRuns = ctx.getProperty<number>(ENGINE_RUNS_PROPERTY) ?? 1;
    const facts = currentRequest();
    if (facts) {
      facts.timingsMs = timingsMs;
    }
  }
}
