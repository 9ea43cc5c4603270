import { AllocationBudget, type AllocationBudgetSpec } from '../budget/allocation-budget';
import { CancelledError, InvalidInputError } from '../errors';
import type { MedicalImage } from '../image/medical-image';
import { GeometryHistory, type GeometryStep } from './geometry-history';

/** What a {@link TransformContext} starts with. */
export interface TransformContextInit {
  /** The request's `params` JSON (clicks, points, writer overrides); never mutated. */
  params?: Readonly<Record<string, unknown>>;
  images?: Iterable<readonly [string, MedicalImage]>;
  /** Aborted when the client goes away; long loops call {@link TransformContext.throwIfCancelled}. */
  signal?: AbortSignal;
  /** Folder where writers put result files (a per-request temp dir chosen by the caller). */
  outputDir?: string;
  /** The request's allocation budget (see {@link TransformContext.budget}); unlimited when omitted. */
  budget?: AllocationBudgetSpec;
}

/** What a writer produced: the result file (absent for JSON-only results) and the JSON returned as `params`. */
export interface WriterOutput {
  /** Absolute path of the written result file, e.g. `<outputDir>/result.nii.gz`. */
  file?: string;
  /**
   * The context image the file was written from (`model`, `pred`), when the writer says: a caller that needs the
   * result as voxels (a DICOM SEG of it) reads it there instead of decoding the file again.
   */
  image?: string;
  /** The JSON result of the request (extreme points, bbox, classification scores, ...). */
  json: Record<string, unknown>;
}

/**
 * The data a pipeline passes from step to step, like AIAA's `TransformContext` (v3) or data dict (v4): named images
 * (`image` in, `model` out by default), named properties (any JSON-able value), the request's params, and the JSON
 * result returned to the client as the reply's `params` part.
 */
export class TransformContext {
  readonly params: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal | undefined;
  readonly outputDir: string | undefined;
  /**
   * The request's allocation budget, counting the voxels of this context's images as held: a step checks every array
   * whose size the client controls (`ctx.budget.reserve(...)`) before allocating it.
   */
  readonly budget: AllocationBudget;
  /** Set by the writer step; read by the server to build the reply. */
  writerOutput: WriterOutput | undefined;
  readonly #images = new Map<string, MedicalImage>();
  readonly #properties = new Map<string, unknown>();
  readonly #histories = new Map<string, GeometryHistory>();

  constructor(init: TransformContextInit = {}) {
    this.params = init.params ?? {};
    this.signal = init.signal;
    this.outputDir = init.outputDir;
    this.budget = new AllocationBudget(init.budget ?? AllocationBudget.UNLIMITED.spec, () => this.heldBytes());
    for (const [name, image] of init.images ?? []) {
      this.#images.set(name, image);
    }
  }

  /** The image stored under `name`. @throws InvalidInputError naming the images that do exist. */
  getImage(name: string): MedicalImage {
    const image = this.#images.get(name);
    if (!image) {
      const known = [...this.#images.keys()].join(', ') || 'none';
      throw new InvalidInputError(`no image '${name}' in the transform context (images: ${known})`);
    }
    return image;
  }

  /** The image stored under `name`, or undefined. */
  findImage(name: string): MedicalImage | undefined {
    return this.#images.get(name);
  }

  setImage(name: string, image: MedicalImage): void {
    this.#images.set(name, image);
  }

  hasImage(name: string): boolean {
    return this.#images.has(name);
  }

  deleteImage(name: string): void {
    this.#images.delete(name);
    this.#histories.delete(name);
  }

  imageNames(): string[] {
    return [...this.#images.keys()];
  }

  /** Bytes of voxels held by this context's images, each buffer counted once (images may share voxels). */
  heldBytes(): number {
    const seen = new Set<ArrayBufferLike>();
    let bytes = 0;
    for (const image of this.#images.values()) {
      if (!seen.has(image.voxels.buffer)) {
        seen.add(image.voxels.buffer);
        bytes += image.voxels.byteLength;
      }
    }
    return bytes;
  }

  getProperty<T = unknown>(name: string): T | undefined {
    return this.#properties.get(name) as T | undefined;
  }

  setProperty(name: string, value: unknown): void {
    this.#properties.set(name, value);
  }

  hasProperty(name: string): boolean {
    return this.#properties.has(name);
  }

  /**
   * The JSON object stored under property `key` (default `result`, AIAA v4's writer `json` argument), created on
   * first use. Transforms such as FetchExtremePoints add their fields to it; the writer returns it to the client.
   */
  result(key = 'result'): Record<string, unknown> {
    let value = this.#properties.get(key);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      value = {};
      this.#properties.set(key, value);
    }
    return value as Record<string, unknown>;
  }

  /** A shallow copy: same images and properties (not cloned), same params and signal, or a new signal. */
  fork(signal: AbortSignal | undefined = this.signal): TransformContext {
    const copy = new TransformContext({
      params: this.params,
      images: this.#images,
      signal,
      outputDir: this.outputDir,
      budget: this.budget.spec,
    });
    for (const [k, v] of this.#properties) {
      copy.#properties.set(k, v);
    }
    for (const [k, v] of this.#histories) {
      copy.#histories.set(k, v);
    }
    return copy;
  }

  /** The geometric steps recorded for image `name` (empty when none); RestoreOriginalShape undoes them. */
  geometryHistory(name: string): GeometryHistory {
    return this.#histories.get(name) ?? new GeometryHistory();
  }

  /** Records that image `name` went through `step` (call it with the step's `before` grid, after setImage). */
  recordGeometry(name: string, step: GeometryStep): void {
    this.#histories.set(name, this.geometryHistory(name).plus(step));
  }

  /** Gives image `to` the history of image `from` (when a transform derives one image from another). */
  copyGeometry(from: string, to: string): void {
    this.#histories.set(to, this.geometryHistory(from));
  }

  /** @throws CancelledError when the request was cancelled. */
  throwIfCancelled(): void {
    if (this.signal?.aborted) {
      throw new CancelledError('request cancelled by the client');
    }
  }
}
