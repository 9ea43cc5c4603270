import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, TransformContext, readNifti, readNiftiGrid, type MedicalImage } from '@aiaa/core';
import { hashFile } from '../../admin/model-files';
import type { RouteResult } from '../../common/http-reply';
import { InferenceOptions } from '../../inference/inference-options';
import { MetricsService } from '../../metrics/metrics.service';
import type { TrackedRequest } from '../../metrics/tracked-request';
import { SessionStore } from '../../inference/session/session-store.service';
import { ModelRuntimeService } from '../../runtime/model-runtime.service';
import { copyOf, runWithin } from '../../runtime/run-within';
import { knownExtension } from '../../upload/receive-multipart';
import { parseParams } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';
import type { ReceivedParts } from '../../upload/pending-upload';
import { Datastore } from '../datastore/datastore';
import { baseName, checkLabelUpload, describeUpload } from '../datastore/datastore-files';
import { ORIGINAL_TAG, validateImageId, validateTag } from '../datastore/datastore.service';
import type { InferQueryDto } from './dto/infer-query.dto';
import { pipelineParams } from './infer-params';
import { latenciesOf } from './latencies';

/** Where the image of one request comes from. */
type ImageSource =
  | { readonly kind: 'file'; readonly path: string; readonly name: string }
  | { readonly kind: 'session'; readonly id: string; readonly path: string }
  | { readonly kind: 'datastore'; readonly id: string; readonly path: string };

/**
 * `POST /infer/{model}`: runs a model of the registry (the same runtime, pipelines, sessions and limits as `/v1/*`) on
 * the request's `file`, the session's image or a datastore image, with MONAI Label's params translated for the
 * pipeline (`infer-params.ts`). The reply JSON is the writer's JSON plus `label_names` and `latencies` (seconds);
 * with `save_label: true` on a datastore image the result is also stored as its `original` label (or `label_tag`).
 */
@Injectable()
export class InferService {
  constructor(
    @Inject(InferenceOptions) private readonly options: InferenceOptions,
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(Datastore) private readonly datastore: Datastore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  /**
   * @throws ModelNotFoundError (404); InvalidInputError naming the id, part or param at fault; SessionNotFoundError
   *   (440); DatastoreNotFoundError (404); TooLargeError; InvalidNiftiError; the model's own errors.
   */
  run(modelName: string, query: InferQueryDto, upload: PendingUpload): Promise<RouteResult> {
    return this.metrics.track('infer', 'monailabel', (request) => this.#run(modelName, query, upload, request));
  }

  async #run(
    modelName: string,
    query: InferQueryDto,
    upload: PendingUpload,
    request: TrackedRequest,
  ): Promise<RouteResult> {
    const started = performance.now();
    const signal = upload.signal;
    const model = this.runtime.get(modelName);
    request.ranOn(model);
    const imageId = query.image === undefined || query.image === '' ? undefined : validateImageId(query.image);
    const sessionId = query.session_id === undefined || query.session_id === '' ? undefined : query.session_id;
    // Checked before the body is read: an expired session answers 440 at once.
    const sessionPath = sessionId === undefined ? undefined : await this.sessions.imagePath(sessionId);
    const parts = await upload.receive();
    const params = parseParams(parts.fields.get('params'));
    const source = await this.#source(parts, sessionId, sessionPath, imageId, signal);
    const received = performance.now();
    // The params are checked against the image's header before its voxels are decoded: bad clicks answer at once.
    const pipeline = pipelineParams(params, {
      sizeIjk: await this.#sizeOf(source),
      labels: model.info.labels,
      inputExtension: knownExtension(source.kind === 'file' ? source.name : source.path),
    });
    const read = (file: string): Promise<MedicalImage> =>
      readNifti(file, { maxBytes: this.options.maxImageBytes, signal, source: describeSource(source) });
    const image =
      source.kind === 'session' ? copyOf(await this.sessions.image(source.id, read)) : await read(source.path);
    const images: [string, MedicalImage][] = [['image', image]];
    const label = await this.#label(parts, source);
    if (label) {
      images.push(['label', label]);
    }
    const outputDir = path.join(parts.dir, 'out');
    await fs.mkdir(outputDir);
    const ctx = new TransformContext({ params: pipeline, images, signal, outputDir });
    ctx.setProperty('image_path', source.path);
    const loaded = performance.now();
    const cacheKey = source.kind === 'session' ? `session:${source.id}` : undefined;
    const result = await runWithin(model, ctx, { signal, cacheKey }, this.options.requestTimeoutMs);
    const written = result.ctx.writerOutput;
    const timingsMs = {
      upload: received - started,
      read: loaded - received,
      ...result.timingsMs,
      total: performance.now() - started,
    };
    request.finished(timingsMs, result.ctx);
    const writerJson = written?.json;
    const json = {
      ...(typeof writerJson === 'object' && writerJson !== null && !Array.isArray(writerJson) ? writerJson : {}),
      label_names: model.info.labels,
      latencies: latenciesOf(timingsMs),
    };
    if (written?.file !== undefined && params['save_label'] === true && source.kind === 'datastore') {
      const tag = validateTag(typeof params['label_tag'] === 'string' ? params['label_tag'] : ORIGINAL_TAG);
      await this.#saveResult(source.id, tag, written.file, parts.dir, { model: modelName, params: json });
    }
    return { json, file: written?.file, timingsMs, cacheHit: result.cacheHit };
  }

  async #source(
    parts: ReceivedParts,
    sessionId: string | undefined,
    sessionPath: string | undefined,
    imageId: string | undefined,
    signal: AbortSignal,
  ): Promise<ImageSource> {
    const file = parts.files.find((f) => f.field === 'file');
    if (file && sessionId === undefined) {
      return { kind: 'file', path: file.path, name: baseName(file) };
    }
    if (sessionId !== undefined && sessionPath !== undefined) {
      return { kind: 'session', id: sessionId, path: sessionPath };
    }
    if (imageId !== undefined) {
      return { kind: 'datastore', id: imageId, path: (await this.datastore.imageFile(imageId, signal)).path };
    }
    throw new InvalidInputError(
      `no image to run on: give ?image=<datastore id>, ?session_id=<session> or a multipart file part 'file'`,
    );
  }

  /** [W, H, D] of the request's image, from the session's record or the file's header. */
  async #sizeOf(source: ImageSource): Promise<[number, number, number]> {
    if (source.kind === 'session') {
      const [w = 1, h = 1, d = 1] = (await this.sessions.get(source.id)).image.size;
      return [w, h, d];
    }
    return (await readNiftiGrid(source.path, describeSource(source))).sizeIjk;
  }

  /** The optional `label` part (scribbles and the like), read on the image's grid. */
  async #label(parts: ReceivedParts, source: ImageSource): Promise<MedicalImage | undefined> {
    const file = parts.files.find((f) => f.field === 'label');
    if (!file) {
      return undefined;
    }
    const grid = await readNiftiGrid(source.path, describeSource(source));
    const checked = await checkLabelUpload(file, grid, parts.dir);
    if (checked.extension.endsWith('.nrrd')) {
      throw new InvalidInputError(`${describeUpload(file)}: a label for inference must be NIfTI or .bin`);
    }
    return readNifti(checked.path, { maxBytes: this.options.maxImageBytes, source: describeUpload(file) });
  }

  /** Stores a copy of the result (the reply still sends the original) as a label of the datastore image. */
  async #saveResult(id: string, tag: string, file: string, dir: string, info: Record<string, unknown>): Promise<void> {
    const extension = knownExtension(path.basename(file));
    const copy = path.join(dir, `saved-label${extension}`);
    await fs.copyFile(file, copy);
    const bytes = (await fs.stat(copy)).size;
    await this.datastore.saveLabel(id, tag, { path: copy, extension, bytes, sha256: await hashFile(copy) }, info);
  }
}

/** How errors name the image: the client's file, the session or the datastore id, never a server path. */
function describeSource(source: ImageSource): string {
  switch (source.kind) {
    case 'file':
      return source.name;
    case 'session':
      return `session ${source.id}`;
    case 'datastore':
      return `datastore image '${source.id}'`;
  }
}
