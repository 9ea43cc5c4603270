import { AiaaError, CancelledError, InvalidInputError, describeError } from '@aiaa/core';
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  type InferenceEngine,
  type ModelHandle,
  type ModelLoadSpec,
  type RunOptions,
  type Tensor,
  type TensorInfo,
  isTensorDType,
} from '../../engine';
import { readModelFile } from '../../model-file';

/** Session options of the in-process engine (onnxruntime's own names). */
export interface OnnxEngineOptions {
  /** Threads inside one operator; 0 lets onnxruntime choose (one per core). */
  readonly intraOpNumThreads?: number;
  /** Threads across independent operators when `executionMode` is `parallel`; 0 lets onnxruntime choose. */
  readonly interOpNumThreads?: number;
  /** Default `sequential`. */
  readonly executionMode?: 'sequential' | 'parallel';
  /** Default `all`. */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * Keep onnxruntime's CPU memory arena (default false). The arena grows to the largest run's needs and never gives
   * memory back: 96 MB stayed after one request of a small Conv3d network in 64³ windows, and a whole-volume network
   * keeps gigabytes. Without it, a run's tensors are freed when it ends, at no measured cost in speed.
   */
  readonly enableCpuMemArena?: boolean;
  /**
   * Input bytes per run when a caller can split its work (sliding windows); default 1 MiB, one 64³ float32 window.
   * onnxruntime's CPU convolution expands each image of a batch of two or more in full before its GEMM (an im2col
   * buffer of output voxels × input channels × kernel size per thread) but tiles a single image in small slices, so
   * larger batches cost memory (100–140 MB more per extra 32×256×256 window of the demo model) and gain no speed.
   */
  readonly batchBudgetBytes?: number;
  /**
   * Let idle intra-op threads spin for work (onnxruntime's own default) instead of sleeping; default false. Between
   * windows the sliding window cuts and blends on the calling thread while a spinning pool thread holds the other
   * core; on the shared 2-core bench machine 24 windows of the bench's Conv3d took a median 4.3 s without spinning
   * against 4.9 s with it, for 6% less CPU.
   */
  readonly intraOpSpinning?: boolean;
}

/** One 64³ float32 window (see {@link OnnxEngineOptions.batchBudgetBytes}). */
const DEFAULT_BATCH_BUDGET_BYTES = 64 * 64 * 64 * 4;

/** A model file the engine cannot use: unreadable, not ONNX, or without the inputs/outputs the config names. */
export class ModelLoadError extends AiaaError {
  constructor(
    readonly modelName: string,
    readonly modelPath: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super('invalid-input', `model '${modelName}' (${basename(modelPath)}): ${detail}`, options);
  }
}

/**
 * The `AIAA` engine: runs `.onnx` models in-process with onnxruntime (CPU). One session per loaded model, created at
 * load time and reused by every request. onnxruntime-node runs a session synchronously on the event loop, so a run
 * cannot be aborted midway: the signal is checked before and after.
 */
export class OnnxEngine implements InferenceEngine {
  readonly name = 'AIAA';
  readonly #options: OnnxEngineOptions;
  readonly #handles = new Set<ModelHandle>();

  constructor(options: OnnxEngineOptions = {}) {
    this.#options = options;
  }

  /**
   * Loads `spec.modelPath` into a new session.
   * @throws ModelLoadError naming the model and the cause (unreadable file, corrupt bytes, a configured input or
   *   output name the model lacks, a tensor type the engine does not carry).
   */
  async load(spec: ModelLoadSpec): Promise<ModelHandle> {
    const handle = await OnnxModelHandle.create(spec, this.#options, (h) => this.#handles.delete(h));
    this.#handles.add(handle);
    return handle;
  }

  /** Disposes every handle still loaded. */
  async close(): Promise<void> {
    const handles = [...this.#handles];
    this.#handles.clear();
    await Promise.all(handles.map((h) => h.dispose()));
  }
}

/** One loaded ONNX model: its session and declared inputs/outputs. */
export class OnnxModelHandle implements ModelHandle {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly batchBudgetBytes: number;
  readonly #name: string;
  #session: ort.InferenceSession | undefined;
  readonly #onDispose: (handle: OnnxModelHandle) => void;

  private constructor(
    name: string,
    session: ort.InferenceSession,
    inputs: TensorInfo[],
    outputs: TensorInfo[],
    batchBudgetBytes: number,
    onDispose: (handle: OnnxModelHandle) => void,
  ) {
    this.#name = name;
    this.batchBudgetBytes = batchBudgetBytes;
    this.#session = session;
    this.inputs = Object.freeze(inputs);
    this.outputs = Object.freeze(outputs);
    this.inputNames = Object.freeze(inputs.map((t) => t.name));
    this.outputNames = Object.freeze(outputs.map((t) => t.name));
    this.#onDispose = onDispose;
  }

  /** @throws ModelLoadError (see {@link OnnxEngine.load}). */
  static async create(
    spec: ModelLoadSpec,
    options: OnnxEngineOptions,
    onDispose: (handle: OnnxModelHandle) => void = () => undefined,
  ): Promise<OnnxModelHandle> {
    const bytes = await readModelFile(spec.name, spec.modelPath, spec.modelDir ? { modelDir: spec.modelDir } : {});
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads: options.intraOpNumThreads ?? 0,
        interOpNumThreads: options.interOpNumThreads ?? 0,
        executionMode: options.executionMode ?? 'sequential',
        graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
        enableCpuMemArena: options.enableCpuMemArena ?? false,
        extra: { session: { intra_op: { allow_spinning: options.intraOpSpinning ? '1' : '0' } } },
      });
    } catch (error) {
      throw new ModelLoadError(
        spec.name,
        spec.modelPath,
        `not a loadable ONNX model (${bytes.length} bytes): ${describeError(error)}`,
        { cause: error },
      );
    }
    try {
      const inputs = describeValues(spec, 'input', session.inputMetadata);
      const outputs = describeValues(spec, 'output', session.outputMetadata);
      checkNames(spec, 'input', spec.inputNames, inputs);
      checkNames(spec, 'output', spec.outputNames, outputs);
      const budget = options.batchBudgetBytes ?? DEFAULT_BATCH_BUDGET_BYTES;
      return new OnnxModelHandle(spec.name, session, inputs, outputs, budget, onDispose);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /**
   * Runs the model on every declared input.
   * @throws InvalidInputError naming the tensor when a feed is missing, unknown, of the wrong type or size.
   * @throws CancelledError when `options.signal` is aborted before or during the run.
   * @throws AiaaError (`internal`) when onnxruntime fails, with its message.
   */
  async run(feeds: Readonly<Record<string, Tensor>>, options: RunOptions = {}): Promise<Record<string, Tensor>> {
    throwIfAborted(options.signal, this.#name);
    const session = this.#session;
    if (!session) {
      throw new AiaaError('unavailable', `model '${this.#name}' was disposed`);
    }
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const name of Object.keys(feeds)) {
      if (!this.inputNames.includes(name)) {
        throw new InvalidInputError(
          `model '${this.#name}': no input '${name}' (inputs: ${this.inputNames.join(', ')})`,
        );
      }
    }
    for (const info of this.inputs) {
      const tensor = feeds[info.name];
      if (!tensor) {
        throw new InvalidInputError(`model '${this.#name}': input '${info.name}' is missing`);
      }
      checkFeed(this.#name, info, tensor);
      ortFeeds[info.name] = new ort.Tensor(tensor.dtype, tensor.data, [...tensor.shape]);
    }
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await session.run(ortFeeds);
    } catch (error) {
      throw new AiaaError('internal', `model '${this.#name}': onnxruntime run failed: ${describeError(error)}`, {
        cause: error,
      });
    }
    throwIfAborted(options.signal, this.#name);
    const out: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(results)) {
      out[name] = fromOrt(this.#name, name, value);
    }
    return out;
  }

  /** Releases the session; later calls do nothing. */
  async dispose(): Promise<void> {
    const session = this.#session;
    if (!session) {
      return;
    }
    this.#session = undefined;
    this.#onDispose(this);
    await session.release();
  }
}

function describeValues(
  spec: ModelLoadSpec,
  kind: 'input' | 'output',
  metadata: readonly ort.InferenceSession.ValueMetadata[],
): TensorInfo[] {
  return metadata.map((value) => {
    if (!value.isTensor) {
      throw new ModelLoadError(spec.name, spec.modelPath, `${kind} '${value.name}' is not a tensor`);
    }
    if (!isTensorDType(value.type)) {
      throw new ModelLoadError(
        spec.name,
        spec.modelPath,
        `${kind} '${value.name}' has type ${value.type}, which the engine does not carry`,
      );
    }
    return { name: value.name, dtype: value.type, shape: [...value.shape] };
  });
}

function checkNames(
  spec: ModelLoadSpec,
  kind: 'input' | 'output',
  wanted: readonly string[] | undefined,
  declared: readonly TensorInfo[],
): void {
  const names = declared.map((t) => t.name);
  const missing = (wanted ?? []).filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new ModelLoadError(
      spec.name,
      spec.modelPath,
      `configured ${kind} ${missing.map((n) => `'${n}'`).join(', ')} not in the model (${kind}s: ${names.join(', ')})`,
    );
  }
}

function checkFeed(model: string, info: TensorInfo, tensor: Tensor): void {
  const where = `model '${model}': input '${info.name}'`;
  if (tensor.dtype !== info.dtype) {
    throw new InvalidInputError(`${where} got ${tensor.dtype}, expected ${info.dtype}`);
  }
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== count) {
    throw new InvalidInputError(
      `${where} has ${tensor.data.length} values but shape [${tensor.shape.join(', ')}] holds ${count}`,
    );
  }
  // A model without shape information declares []: nothing to compare.
  if (info.shape.length === 0) {
    return;
  }
  const fixedMismatch = info.shape.some((d, i) => typeof d === 'number' && d >= 0 && d !== tensor.shape[i]);
  if (tensor.shape.length !== info.shape.length || fixedMismatch) {
    throw new InvalidInputError(`${where} got shape [${tensor.shape.join(', ')}], expected [${info.shape.join(', ')}]`);
  }
}

function fromOrt(model: string, name: string, value: ort.OnnxValue): Tensor {
  if (!(value instanceof ort.Tensor) || !isTensorDType(value.type)) {
    throw new AiaaError('internal', `model '${model}': output '${name}' is not a numeric tensor`);
  }
  const dtype = value.type;
  // float16 may come back as a Float16Array where the runtime has one; the contract carries the raw half bits.
  const raw = value.data as ArrayBufferView & { readonly length: number };
  const data =
    dtype === 'float16' && !(raw instanceof Uint16Array)
      ? new Uint16Array(raw.buffer, raw.byteOffset, raw.length)
      : raw;
  return { dtype, shape: [...value.dims], data: data as Tensor['data'] };
}

function throwIfAborted(signal: AbortSignal | undefined, model: string): void {
  if (signal?.aborted) {
    throw new CancelledError(`model '${model}': run cancelled`);
  }
}
