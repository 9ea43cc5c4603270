import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, TransformContext, readNifti, type MedicalImage } from '@aiaa/core';
import { hashFile } from '../../admin/model-files';
import type { RouteResult } from '../../common/http-reply';
import { DicomSegService } from '../../dicomweb/dicom-seg.service';
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
import { type ImageSource, describeSource, gridOfSource } from './image-source';
import { pipelineParams } from './infer-params';
import { latenciesOf } from './latencies';
import { type SegRequest, resultLabels, segRequestOf, segmentNames, writeSegFile } from './seg-output';

/** A series has no suffix of its own: results default to the NIfTI MONAI Label converts a series to. */
const SERIES_RESULT_EXTENSION = '.nii.gz';

/**
 * `POST /infer/{model}`: runs a model of the registry (the same runtime, pipelines, sessions and limits as `/v1/*`) on
 * the request's `file`, the session's image, a datastore image or a series of the PACS (`?image=<SeriesInstanceUID>`
 * with `--dicomweb`, from the series cache), with MONAI Label's params translated for the pipeline
 * (`infer-params.ts`). The reply JSON is the writer's JSON plus `label_names` and `latencies` (seconds); with
 * `save_label: true` on a datastore image the result is also stored as its `original` label (or `label_tag`); on a
 * series, `save_seg: true` stores it on the PACS as a DICOM SEG and `output=dicom_seg` answers that SEG.
 */
@Injectable()
export class InferService {
  constructor(
    @Inject(InferenceOptions) private readonly options: InferenceOptions,
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(Datastore) private readonly datastore: Datastore,
    @Inject(DicomSegService) private readonly segs: DicomSegService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  /**
   * @throws ModelNotFoundError (404); InvalidInputError naming the id, part or param at fault; SessionNotFoundError
   *   (440); DatastoreNotFoundError (404); TooLargeError; InvalidNiftiError; the PACS' errors (404, 413, 415, 503);
   *   the model's own errors.
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
    const seg = segRequestOf(query.output, params);
    const segNames = seg ? segmentNames(params, model.info.labels) : undefined;
    const source = await this.#source(parts, sessionId, sessionPath, imageId, signal);
    checkSegSource(seg, source);
    const received = performance.now();
    // The params are checked against the image's header before its voxels are decoded: bad clicks answer at once.
    const pipeline = pipelineParams(params, {
      sizeIjk: (await gridOfSource(source)).sizeIjk,
      labels: model.info.labels,
      inputExtension: source.kind === 'series' ? SERIES_RESULT_EXTENSION : knownExtension(pathOf(source)),
    });
    const images: [string, MedicalImage][] = [['image', await this.#read(source, signal)]];
    const label = await this.#label(parts, source);
    if (label) {
      images.push(['label', label]);
    }
    const outputDir = path.join(parts.dir, 'out');
    await fs.mkdir(outputDir);
    const ctx = new TransformContext({
      params: pipeline,
      images,
      signal,
      outputDir,
      budget: this.options.requestBudget,
    });
    if (source.kind !== 'series') {
      ctx.setProperty('image_path', source.path);
    }
    const loaded = performance.now();
    const result = await runWithin(model, ctx, { signal, cacheKey: cacheKeyOf(source) }, this.options.requestTimeoutMs);
    const written = result.ctx.writerOutput;
    const writerJson = written?.json;
    const json: Record<string, unknown> = {
      ...(typeof writerJson === 'object' && writerJson !== null && !Array.isArray(writerJson) ? writerJson : {}),
      label_names: model.info.labels,
    };
    let segFile: string | undefined;
    if (seg && segNames && source.kind === 'series') {
      const labels = await resultLabels(result.ctx, written, this.options.maxImageBytes);
      const description = { names: segNames, algorithmName: modelName, signal };
      const encoded = await this.segs.encode(source.series, labels, description);
      if (seg.store) {
        json['dicom_seg'] = await this.segs.store(encoded, source.series, signal);
      }
      segFile = seg.reply ? await writeSegFile(parts.dir, encoded.bytes) : undefined;
    }
    const timingsMs = {
      upload: received - started,
      read: loaded - received,
      ...result.timingsMs,
      total: performance.now() - started,
    };
    request.finished(timingsMs, result.ctx);
    json['latencies'] = latenciesOf(timingsMs);
    const savable = source.kind === 'datastore' || source.kind === 'series';
    if (written?.file !== undefined && params['save_label'] === true && savable) {
      const tag = validateTag(typeof params['label_tag'] === 'string' ? params['label_tag'] : ORIGINAL_TAG);
      await this.#saveResult(source.id, tag, written.file, parts.dir, { model: modelName, params: json });
    }
    if (segFile !== undefined) {
      return { json, file: segFile, fileName: 'result.dcm', fileType: 'application/dicom', timingsMs };
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
      const opened = await this.datastore.openImage(imageId, signal);
      return opened.kind === 'series'
        ? { kind: 'series', id: imageId, image: opened.image, series: opened.series }
        : { kind: 'datastore', id: imageId, path: opened.path };
    }
    throw new InvalidInputError(
      `no image to run on: give ?image=<datastore id>, ?session_id=<session> or a multipart file part 'file'`,
    );
  }

  /** The request's volume: a private copy of a kept one (session, series), else the file read within the limits. */
  async #read(source: ImageSource, signal: AbortSignal): Promise<MedicalImage> {
    const read = (file: string): Promise<MedicalImage> =>
      readNifti(file, { maxBytes: this.options.maxReadBytes, signal, source: describeSource(source) });
    switch (source.kind) {
      case 'series':
        return copyOf(source.image);
      case 'session':
        return copyOf(await this.sessions.image(source.id, read));
      case 'file':
      case 'datastore':
        return read(source.path);
    }
  }

  /** The optional `label` part (scribbles and the like), read on the image's grid. */
  async #label(parts: ReceivedParts, source: ImageSource): Promise<MedicalImage | undefined> {
    const file = parts.files.find((f) => f.field === 'label');
    if (!file) {
      return undefined;
    }
    const checked = await checkLabelUpload(file, await gridOfSource(source), parts.dir);
    if (checked.extension.endsWith('.nrrd')) {
      throw new InvalidInputError(`${describeUpload(file)}: a label for inference must be NIfTI or .bin`);
    }
    return readNifti(checked.path, { maxBytes: this.options.maxReadBytes, source: describeUpload(file) });
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

/** The file a source reads from (the client's name for an upload, whose suffix is what counts). */
function pathOf(source: Exclude<ImageSource, { kind: 'series' }>): string {
  return source.kind === 'file' ? source.name : source.path;
}

/** The key of a model's `cache_until` snapshot: the same session or series on the next click. */
function cacheKeyOf(source: ImageSource): string | undefined {
  return source.kind === 'session'
    ? `session:${source.id}`
    : source.kind === 'series'
      ? `series:${source.id}`
      : undefined;
}

/**
 * A SEG references the instances of its source series: only a series of the PACS has them.
 * @throws InvalidInputError naming what asked for the SEG.
 */
function checkSegSource(seg: SegRequest | undefined, source: ImageSource): void {
  if (seg && source.kind !== 'series') {
    throw new InvalidInputError(
      `${seg.reply ? 'output=dicom_seg' : 'params.save_seg'}: a DICOM SEG references the series it was made on; ` +
        `run on a series of the DICOMweb server (?image=<SeriesInstanceUID> with --dicomweb), not on ${describeSource(source)}`,
    );
  }
}
