/**
 * The engine contract, modelled on onnxruntime's Backend/SessionHandler: an engine loads a model file and returns a
 * handle that runs named tensors. Typed arrays in and out; nothing else crosses the boundary.
 */

/** Tensor element types shared by onnxruntime and KServe v2 (FP32 ↔ float32, INT64 ↔ int64, BOOL ↔ bool, …). */
export const TENSOR_DTYPES = [
  'float32',
  'float64',
  'float16',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'bool',
] as const;
/** A tensor element type of {@link TENSOR_DTYPES}, named as onnxruntime names them. */
export type TensorDType = (typeof TENSOR_DTYPES)[number];

/** True when `value` names one of the {@link TENSOR_DTYPES} (onnxruntime's `string` tensors, for one, do not). */
export function isTensorDType(value: unknown): value is TensorDType {
  return typeof value === 'string' && (TENSOR_DTYPES as readonly string[]).includes(value);
}

/** The typed array that holds each tensor type (float16 as raw IEEE half bits in a Uint16Array, bool as 0/1 bytes). */
export interface TensorDataByType {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
}

/** The typed array of a tensor of any dtype (see {@link TensorDataByType}). */
export type TensorData = TensorDataByType[TensorDType];

/** A dense row-major tensor. `data.length` equals the product of `shape`. */
export interface Tensor<D extends TensorDType = TensorDType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: TensorDataByType[D];
}

/** Declared input or output of a loaded model; -1 (or a name) marks a dynamic dimension. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: TensorDType;
  readonly shape: readonly (number | string)[];
}

/** What an engine needs to load one model. */
export interface ModelLoadSpec {
  /** Registry name of the model (also the Triton model name). */
  readonly name: string;
  /** The model file (`.onnx` for the native engine). */
  readonly modelPath: string;
  /** The model's folder: the file must lie inside it (see `readModelFile`). */
  readonly modelDir?: string;
  /** Input/output names from the config; when omitted the model's own metadata decides. */
  readonly inputNames?: readonly string[];
  readonly outputNames?: readonly string[];
  /**
   * How an engine that serves models elsewhere should deploy this one: the config's Triton section
   * (`triton_model_config`, v3 `trtis`). In-process engines ignore it.
   */
  readonly deployConfig?: Readonly<Record<string, unknown>>;
}

/** Options of one run. */
export interface RunOptions {
  /** Aborts the run (client disconnect); the promise rejects with a CancelledError. */
  readonly signal?: AbortSignal;
}

/** A loaded model, ready to run; reused across requests and disposed once. */
export interface ModelHandle {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /**
   * The input bytes one run should carry at most when the caller may split its work into smaller batches (sliding
   * windows); at least one item still goes per run. Undefined: no limit beyond the caller's own batch size.
   */
  readonly batchBudgetBytes?: number;
  /** Runs the model on named input tensors; returns the named outputs. */
  run(feeds: Readonly<Record<string, Tensor>>, options?: RunOptions): Promise<Record<string, Tensor>>;
  /** Frees the model (session close, Triton unload is the deployer's job). Idempotent. */
  dispose(): Promise<void>;
}

/** An inference engine: `AIAA` (in-process onnxruntime) or `TRITON` (KServe v2 over gRPC). */
export interface InferenceEngine {
  readonly name: string;
  /** Loads a model; a corrupt file or mismatched names reject with an error that names the model and the cause. */
  load(spec: ModelLoadSpec): Promise<ModelHandle>;
  /**
   * Takes a model this engine deployed off its server (Triton unloads it and removes its repository folder); absent
   * on engines that deploy nothing, since disposing a handle only lets go of it.
   */
  unload?(name: string): Promise<void>;
  /** Releases the engine's own resources (channels, pools). */
  close(): Promise<void>;
}
