import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SessionStore } from '../inference/session/session-store.service';
import { PacsUnavailableError } from '@aiaa/core';
import { Datastore, type DatastoreImage } from '../monailabel/datastore/datastore';
import { ModelRuntimeService } from '../runtime/model-runtime.service';
import { TritonStatusService } from '../runtime/triton-status.service';
import { failureReason } from './failure-reason';
import { TrackedRequest } from './tracked-request';

/** The prefix of every series this server exports, prom-client's process and Node.js defaults included. */
export const METRIC_PREFIX = 'aiaa_';

/** Stage histogram buckets, in seconds: 10 ms to 10 minutes, about ×2.5 apart. */
export const STAGE_BUCKETS_SECONDS: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 150, 300, 600,
];

/** The stages of one inference request, as `Server-Timing` names them: each is observed once per success. */
export const REQUEST_STAGES = [
  'upload',
  'read',
  'pre_transforms',
  'inference',
  'post_transforms',
  'writer',
  'total',
] as const;

/** The labels of an inference request: the model and version that ran it, the route and the client protocol. */
export interface RequestLabels {
  /** The model name; `_unknown` when the request named no loaded model (model names never start with `_`). */
  model: string;
  /** The registry version, '' when unknown. */
  version: string;
  /** `segmentation`, `dextr3d`, `deepgrow`, `inference`, … */
  route: string;
  /** `aiaa`, `monailabel`, … */
  protocol: string;
}

/** What a successful inference request reports. */
export interface RequestSuccess {
  readonly timingsMs: Readonly<Record<string, number>>;
  /** Engine executions (windows or batches) the inference ran. */
  readonly engineRuns: number;
}

/**
 * The Prometheus registry of this app (one per app, so tests and several apps in a process do not share series):
 * per model and version, requests succeeded and failed by reason, in flight and queued, engine executions and the
 * seconds of each stage; server-wide, model loads and failures, activations, uploads, sessions, Triton's state and
 * prom-client's process and event-loop defaults.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly #succeeded: Counter<keyof RequestLabels>;
  readonly #failed: Counter<keyof RequestLabels | 'reason'>;
  readonly #engineRuns: Counter<'model' | 'version'>;
  readonly #stageSeconds: Histogram<'model' | 'version' | 'stage'>;
  readonly #loads: Counter<'model' | 'version'>;
  readonly #loadFailures: Counter<'model' | 'version'>;
  readonly #activations: Counter<'model' | 'version'>;
  readonly #uploads: Counter<'route'>;
  readonly #uploadBytes: Counter<'route'>;

  constructor(
    @Inject(ModelRuntimeService) runtime: ModelRuntimeService,
    @Inject(TritonStatusService) triton: TritonStatusService,
    @Inject(ModuleRef) moduleRef: ModuleRef,
  ) {
    const registers = [this.registry];
    const logger = new Logger(MetricsService.name);
    const name = (suffix: string): string => `${METRIC_PREFIX}${suffix}`;
    const request: (keyof RequestLabels)[] = ['model', 'version', 'route', 'protocol'];
    this.#succeeded = new Counter({
      name: name('inference_requests_succeeded_total'),
      help: 'Inference requests answered with a result, by model, version, route and protocol.',
      labelNames: request,
      registers,
    });
    this.#failed = new Counter({
      name: name('inference_requests_failed_total'),
      help: 'Inference requests that failed, by reason (bad_request, not_found, session_expired, timeout, cancelled, engine, internal, ...).',
      labelNames: [...request, 'reason'],
      registers,
    });
    this.#engineRuns = new Counter({
      name: name('inference_executions_total'),
      help: 'Engine executions (sliding-window batches, or whole images) run by the built-in inference; 1 per run for other inferences.',
      labelNames: ['model', 'version'],
      registers,
    });
    this.#stageSeconds = new Histogram({
      name: name('inference_stage_seconds'),
      help: 'Seconds per stage of a successful inference request (upload, read, pre_transforms, inference, post_transforms, writer, total).',
      labelNames: ['model', 'version', 'stage'],
      buckets: [...STAGE_BUCKETS_SECONDS],
      registers,
    });
    new Gauge({
      name: name('inference_requests_in_flight'),
      help: 'Inference runs executing on a model version (replaced versions finish theirs).',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        this.reset();
        for (const usage of runtime.usage()) {
          this.inc({ model: usage.name, version: usage.version }, usage.running - usage.queued);
        }
      },
    });
    new Gauge({
      name: name('inference_requests_queued'),
      help: 'Inference runs waiting for a free worker thread of a model version.',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        this.reset();
        for (const usage of runtime.usage()) {
          this.inc({ model: usage.name, version: usage.version }, usage.queued);
        }
      },
    });
    this.#loads = new Counter({
      name: name('model_loads_total'),
      help: 'Model versions loaded (at boot, upload or activation).',
      labelNames: ['model', 'version'],
      registers,
    });
    this.#loadFailures = new Counter({
      name: name('model_load_failures_total'),
      help: 'Model versions that failed to load.',
      labelNames: ['model', 'version'],
      registers,
    });
    this.#activations = new Counter({
      name: name('model_activations_total'),
      help: 'Versions made active (an upload, or PUT /admin/model/{name}/active).',
      labelNames: ['model', 'version'],
      registers,
    });
    this.#uploads = new Counter({
      name: name('uploads_total'),
      help: 'Multipart uploads received whole, by route.',
      labelNames: ['route'],
      registers,
    });
    this.#uploadBytes = new Counter({
      name: name('upload_bytes_total'),
      help: 'Bytes of the parts of the uploads received whole, by route.',
      labelNames: ['route'],
      registers,
    });
    new Gauge({
      name: name('sessions_active'),
      help: 'Open /session images.',
      registers,
      collect() {
        this.set(moduleRef.get(SessionStore, { strict: false }).size);
      },
    });
    // prom-client collects every metric of a scrape at once: gauges fed by one call share it.
    const datastore = sharedCall(async () => {
      let images: DatastoreImage[];
      try {
        images = await moduleRef.get(Datastore, { strict: false }).list();
      } catch (error) {
        // A PACS (`--dicomweb`) that cannot be listed must not fail the whole scrape: its gauges read 0 meanwhile.
        if (!(error instanceof PacsUnavailableError)) {
          throw error;
        }
        logger.warn(`GET /metrics: datastore gauges at 0: ${error.message}`);
        images = [];
      }
      let labels = 0;
      let bytes = 0;
      for (const image of images) {
        const tags = Object.values(image.labels);
        labels += tags.length;
        // A PACS series has no bytes stored here (sizeBytes absent); its labels do.
        bytes += (image.sizeBytes ?? 0) + tags.reduce((sum, label) => sum + label.sizeBytes, 0);
      }
      return { images: images.length, labels, bytes };
    });
    const fromDatastore = (
      suffix: string,
      help: string,
      pick: (d: { images: number; labels: number; bytes: number }) => number,
    ): void => {
      new Gauge({
        name: name(suffix),
        help,
        registers,
        async collect() {
          this.set(pick(await datastore()));
        },
      });
    };
    fromDatastore('datastore_images', "Images in MONAI Label's datastore.", (d) => d.images);
    fromDatastore('datastore_labels', "Labels in MONAI Label's datastore, every tag.", (d) => d.labels);
    fromDatastore('datastore_bytes', "Bytes of the datastore's images and labels.", (d) => d.bytes);
    if (triton.enabled) {
      const status = sharedCall(async () => {
        const started = performance.now();
        const answer = await triton.server();
        return { ready: answer?.ready === true, seconds: (performance.now() - started) / 1000 };
      });
      new Gauge({
        name: name('triton_up'),
        help: 'Whether Triton answered ready at this scrape (1) or not (0).',
        registers,
        async collect() {
          this.set((await status()).ready ? 1 : 0);
        },
      });
      new Gauge({
        name: name('triton_status_seconds'),
        help: "Seconds Triton took to answer this scrape's liveness and readiness calls.",
        registers,
        async collect() {
          this.set((await status()).seconds);
        },
      });
    }
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /**
   * Runs one inference request of `route` (client `protocol`), counting its success with each stage's seconds, or its
   * failure with the reason of its error, under the model and version `work` reports through its {@link TrackedRequest}.
   */
  async track<T>(route: string, protocol: string, work: (request: TrackedRequest) => Promise<T>): Promise<T> {
    const request = new TrackedRequest(route, protocol);
    try {
      const result = await work(request);
      this.succeeded(request.labels, { timingsMs: request.timingsMs, engineRuns: request.engineRuns });
      return result;
    } catch (error) {
      this.failed(request.labels, error);
      throw error;
    }
  }

  /** Counts a successful request, observing each stage once. */
  succeeded(labels: RequestLabels, success: RequestSuccess): void {
    this.#succeeded.inc(labels);
    this.#engineRuns.inc({ model: labels.model, version: labels.version }, success.engineRuns);
    for (const stage of REQUEST_STAGES) {
      const ms = success.timingsMs[stage];
      if (ms !== undefined) {
        this.#stageSeconds.observe({ model: labels.model, version: labels.version, stage }, ms / 1000);
      }
    }
  }

  /** Counts a failed request with the reason of its error. */
  failed(labels: RequestLabels, error: unknown): void {
    this.#failed.inc({ ...labels, reason: failureReason(error) });
  }

  modelLoaded(model: string, version: number): void {
    this.#loads.inc({ model, version: String(version) });
  }

  modelLoadFailed(model: string, version: number): void {
    this.#loadFailures.inc({ model, version: String(version) });
  }

  versionActivated(model: string, version: number): void {
    this.#activations.inc({ model, version: String(version) });
  }

  uploadReceived(route: string, bytes: number): void {
    this.#uploads.inc({ route });
    this.#uploadBytes.inc({ route }, bytes);
  }

  /** The scrape, in Prometheus text format. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/** `compute`, shared by the calls made while one is running (the gauges of one scrape). */
function sharedCall<T>(compute: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () =>
    (running ??= compute().finally(() => {
      running = undefined;
    }));
}
