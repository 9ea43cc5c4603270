import {
  AiaaError,
  type AllocationBudgetSpec,
  CancelledError,
  ConfigError,
  type ErrorKind,
  type GeometryStep,
  type Mat4,
  MedicalImage,
  type NiftiHeader,
  type ShapeFormat,
  TransformContext,
  type VoxelArray,
  type WriterOutput,
} from '@aiaa/core';
import { PipelineStageError, type PipelineStage } from './model-pipeline';

/**
 * A TransformContext as a worker message: plain data that structured clone accepts, with the voxel buffers listed for
 * transfer (moved, not copied).
 */
export interface ContextMessage {
  readonly params: Readonly<Record<string, unknown>>;
  readonly outputDir: string | undefined;
  readonly images: readonly ImageMessage[];
  readonly properties: readonly (readonly [string, unknown])[];
  readonly writerOutput: WriterOutput | undefined;
  readonly budget: AllocationBudgetSpec;
}

interface ImageMessage {
  readonly name: string;
  readonly voxels: VoxelArray;
  readonly shape: readonly number[];
  readonly shapeFormat: ShapeFormat;
  readonly affine: Mat4;
  readonly header: NiftiHeader | undefined;
  readonly source: string;
  readonly history: readonly GeometryStep[];
}

/** Below this size a voxel array is copied rather than moved: Node's small Buffers share one untransferable pool. */
const MIN_TRANSFER_BYTES = 64 * 1024;

/**
 * Packs `ctx` for `postMessage`. Large voxel buffers go in `transfer`: after posting, the sender's arrays over them are
 * detached (length 0), so the sender must not use `ctx`'s images again. A view covering less than half of its buffer
 * is copied instead, so as not to move (and detach) unrelated data, and so is one for which `keep` is true.
 */
export function packContext(
  ctx: TransformContext,
  keep: (buffer: ArrayBufferLike) => boolean = () => false,
): { message: ContextMessage; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>();
  const images: ImageMessage[] = [];
  for (const name of ctx.imageNames()) {
    const image = ctx.getImage(name);
    let voxels = image.voxels;
    const buffer = voxels.buffer;
    // Tags, not instanceof: buffers may come from another realm (a vm context, a test sandbox).
    const shared = Object.prototype.toString.call(buffer) === '[object SharedArrayBuffer]';
    const movable =
      !shared && voxels.byteLength >= MIN_TRANSFER_BYTES && voxels.byteLength * 2 >= buffer.byteLength && !keep(buffer);
    if (movable) {
      transfer.add(buffer as ArrayBuffer);
    } else if (!shared) {
      voxels = voxels.slice();
    }
    images.push({
      name,
      voxels,
      shape: image.shape,
      shapeFormat: image.shapeFormat,
      affine: image.affine,
      header: image.header,
      source: image.source,
      history: ctx.geometryHistory(name).steps,
    });
  }
  const properties = propertyNamesOf(ctx).map((n) => [n, ctx.getProperty(n)] as const);
  return {
    message: {
      params: ctx.params,
      outputDir: ctx.outputDir,
      images,
      properties,
      writerOutput: ctx.writerOutput,
      budget: ctx.budget.spec,
    },
    transfer: [...transfer],
  };
}

/** Rebuilds a context from {@link packContext}'s message, watching `signal`. */
export function unpackContext(message: ContextMessage, signal?: AbortSignal): TransformContext {
  const ctx = new TransformContext({
    params: message.params,
    outputDir: message.outputDir,
    signal,
    budget: message.budget,
  });
  for (const image of message.images) {
    ctx.setImage(
      image.name,
      new MedicalImage({
        voxels: inThisRealm(image.voxels),
        shape: image.shape,
        shapeFormat: image.shapeFormat,
        affine: image.affine,
        header: image.header,
        source: image.source,
      }),
    );
    for (const step of image.history) {
      ctx.recordGeometry(image.name, step);
    }
  }
  for (const [name, value] of message.properties) {
    ctx.setProperty(name, value);
  }
  ctx.writerOutput = message.writerOutput;
  return ctx;
}

/** An error as a worker message: enough to rebuild the library errors the server maps to statuses. */
export interface ErrorMessage {
  readonly name: string;
  readonly message: string;
  readonly kind?: ErrorKind;
  /** ConfigError's path and detail. */
  readonly path?: string;
  readonly detail?: string;
  /** PipelineStageError's model, stage and cause. */
  readonly modelName?: string;
  readonly stage?: PipelineStage;
  readonly cause?: ErrorMessage;
}

/** Packs anything thrown in a worker. */
export function packError(error: unknown): ErrorMessage {
  if (error instanceof PipelineStageError) {
    return {
      name: error.name,
      message: error.message,
      kind: error.kind,
      modelName: error.modelName,
      stage: error.stage,
      cause: packError(error.cause),
    };
  }
  if (error instanceof ConfigError) {
    return { name: error.name, message: error.message, kind: error.kind, path: error.path, detail: error.detail };
  }
  if (error instanceof AiaaError) {
    return { name: error.name, message: error.message, kind: error.kind };
  }
  if (error instanceof Error) {
    return { name: error.name, message: error.message };
  }
  return { name: 'Error', message: String(error) };
}

/**
 * An error raised in a pipeline worker that is not one the main thread rebuilds by class; keeps the original `name`
 * and `kind` (`internal` for errors that were not the libraries' own).
 */
export class PipelineWorkerError extends AiaaError {
  constructor(
    readonly originalName: string,
    kind: ErrorKind,
    message: string,
  ) {
    super(kind, message);
  }
}

/** Rebuilds an error packed by {@link packError}: CancelledError, ConfigError and PipelineStageError by class. */
export function unpackError(packed: ErrorMessage): Error {
  if (packed.name === 'CancelledError') {
    return new CancelledError(packed.message);
  }
  if (packed.name === 'ConfigError' && packed.path !== undefined && packed.detail !== undefined) {
    return new ConfigError(packed.path, packed.detail);
  }
  if (packed.name === 'PipelineStageError' && packed.modelName !== undefined && packed.stage && packed.cause) {
    return new PipelineStageError(packed.modelName, packed.stage, unpackError(packed.cause));
  }
  return new PipelineWorkerError(packed.name, packed.kind ?? 'internal', packed.message);
}

const VIEW_CONSTRUCTORS: Readonly<
  Record<string, new (buffer: ArrayBufferLike, offset: number, length: number) => VoxelArray>
> = {
  '[object Uint8Array]': Uint8Array,
  '[object Int8Array]': Int8Array,
  '[object Int16Array]': Int16Array,
  '[object Uint16Array]': Uint16Array,
  '[object Int32Array]': Int32Array,
  '[object Uint32Array]': Uint32Array,
  '[object Float32Array]': Float32Array,
  '[object Float64Array]': Float64Array,
};

/**
 * The same voxels as a typed array of this realm (a view over the same buffer, no copy): structured clone builds its
 * arrays in the thread's main realm, where `instanceof` checks of code running in a vm context (a test sandbox) fail.
 */
function inThisRealm(voxels: VoxelArray): VoxelArray {
  const View = VIEW_CONSTRUCTORS[Object.prototype.toString.call(voxels)];
  if (!View || voxels instanceof View) {
    return voxels;
  }
  return new View(voxels.buffer, voxels.byteOffset, voxels.length);
}

/** The property names of a context, when it can list them (otherwise only the `result` JSON travels). */
function propertyNamesOf(ctx: TransformContext): string[] {
  const lister = (ctx as { propertyNames?: () => string[] }).propertyNames;
  return typeof lister === 'function' ? lister.call(ctx) : ['result'].filter((n) => ctx.hasProperty(n));
}
