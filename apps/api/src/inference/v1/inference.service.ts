import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, TransformContext, readNifti, readPointList, type MedicalImage } from '@aiaa/core';
import { MetricsService } from '../../metrics/metrics.service';
import type { TrackedRequest } from '../../metrics/tracked-request';
import type { LoadedModel } from '../../runtime/loaded-model';
import { copyOf, runWithin } from '../../runtime/run-within';
import { ModelRuntimeService } from '../../runtime/model-runtime.service';
import type { InferenceQueryDto } from './dto/inference-query.dto';
import { InferenceOptions } from '../inference-options';
import { SessionStore } from '../session/session-store.service';
import type { RouteResult } from '../../common/http-reply';
import { parseParams } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';

/** The AIAA inference endpoints: `/v1/<kind>`. */
export type InferenceKind = 'segmentation' | 'dextr3d' | 'deepgrow' | 'inference';

/**
 * Model types each endpoint serves. `/v1/inference` serves every type (Slicer sends segmentation and deepgrow there);
 * OHIF offers a `pipeline` model both as a segmentation and as a deepgrow model.
 */
const TYPES_BY_KIND: Readonly<Record<InferenceKind, readonly string[] | undefined>> = {
  segmentation: ['segmentation', 'pipeline'],
  dextr3d: ['annotation'],
  deepgrow: ['deepgrow', 'pipeline'],
  inference: undefined,
};

/**
 * Runs one AIAA inference request: the model is looked up first (a 404 before any upload is stored), the multipart
 * body is received into the request's temp folder, the image read from it (or from the session), the request params
 * checked for the endpoint, and the model run with the client's disconnect signal; the writer's result is returned
 * for the controller to send.
 */
@Injectable()
export class InferenceService {
  constructor(
    @Inject(InferenceOptions) private readonly options: InferenceOptions,
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  /**
   * Runs the request and counts it in the metrics (under the model and version that ran it) and its log line.
   * @throws ModelNotFoundError; InvalidInputError naming the model type, part or param at fault; SessionNotFoundError
   *   (440); TooLargeError; InvalidNiftiError; CancelledError when the client goes away; the model's own errors.
   */
  run(kind: InferenceKind, query: InferenceQueryDto, upload: PendingUpload): Promise<RouteResult> {
    return this.metrics.track(kind, 'aiaa', (request) => this.#run(kind, query, upload, request));
  }

  async #run(
    kind: InferenceKind,
    query: InferenceQueryDto,
    upload: PendingUpload,
    request: TrackedRequest,
  ): Promise<RouteResult> {
    const started = performance.now();
    const signal = upload.signal;
    const model = this.#model(kind, query.model);
    request.ranOn(model);
    const sessionId = query.session_id;
    // Checked before the body is read, so an expired session answers 440 at once.
    const sessionImagePath = sessionId === undefined ? undefined : await this.sessions.imagePath(sessionId);
    const parts = await upload.receive();
    const params = parseParams(parts.fields.get('params'));
    const received = performance.now();
    const imagePath = sessionImagePath ?? parts.file?.path;
    if (imagePath === undefined) {
      throw new InvalidInputError(
        `multipart file part 'datapoint' (or 'image') is required when no session_id is given`,
      );
    }
    // Errors name the client's file (or the session), never the server's temp path.
    const source =
      sessionId === undefined ? uploadName(parts.file?.filename ?? parts.file?.field) : `session ${sessionId}`;
    const read = (file: string): Promise<MedicalImage> =>
      readNifti(file, { maxBytes: this.options.maxReadBytes, signal, source });
    // A session's image is decoded once and kept for its next requests (repeated deepgrow clicks).
    const image = sessionId === undefined ? await read(imagePath) : copyOf(await this.sessions.image(sessionId, read));
    checkParams(kind, params, image);
    const outputDir = path.join(parts.dir, 'out');
    await fs.mkdir(outputDir);
    const ctx = new TransformContext({
      params,
      images: [['image', image]],
      signal,
      outputDir,
      budget: this.options.requestBudget,
    });
    ctx.setProperty('image_path', imagePath);
    const loaded = performance.now();
    // A session's image is the same on every click: the config's `cache_until` snapshot is kept under its id.
    const cacheKey = sessionId === undefined ? undefined : `session:${sessionId}`;
    const result = await runWithin(model, ctx, { signal, cacheKey }, this.options.requestTimeoutMs);
    const written = result.ctx.writerOutput;
    const timingsMs = {
      upload: received - started,
      read: loaded - received,
      ...result.timingsMs,
      total: performance.now() - started,
    };
    request.finished(timingsMs, result.ctx);
    return { json: written?.json ?? {}, file: written?.file, timingsMs, cacheHit: result.cacheHit };
  }

  #model(kind: InferenceKind, name: string): LoadedModel {
    const model = this.runtime.get(name);
    const types = TYPES_BY_KIND[kind];
    if (types && !types.includes(model.info.type)) {
      throw new InvalidInputError(
        `model '${name}' is of type '${model.info.type}'; /v1/${kind} serves ${types.join(' or ')} models (use /v1/inference)`,
      );
    }
    return model;
  }
}

/**
 * Checks the params each endpoint needs against the image the points index (AIAA-API §1): dextr3d `points` (≥ 6,
 * a list or a JSON string of one), deepgrow `foreground`/`background` (at least one click in all).
 * @throws InvalidInputError naming `params.<field>`.
 */
function checkParams(kind: InferenceKind, params: Readonly<Record<string, unknown>>, image: MedicalImage): void {
  const sizeIjk = image.sizeIjk;
  if (kind === 'dextr3d') {
    readPointList(params, 'points', { min: 6, sizeIjk });
  } else if (kind === 'deepgrow') {
    const foreground = readPointList(params, 'foreground', { sizeIjk, absent: [] });
    const background = readPointList(params, 'background', { sizeIjk, absent: [] });
    if (foreground.length + background.length === 0) {
      throw new InvalidInputError(
        `params.foreground: deepgrow needs at least one click in 'foreground' or 'background'`,
      );
    }
  }
}

/** The base name of the client's file (`/home/user/ct.nii` → `ct.nii`), or `datapoint` when it sent none. */
function uploadName(filename: string | undefined): string {
  return path.basename((filename ?? '').replace(/\\/g, '/')) || 'datapoint';
}
