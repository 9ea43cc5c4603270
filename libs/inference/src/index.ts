// The public surface of @aiaa/inference, for the server, the tools and plugin authors (who get this module as it
// is). The ONNX model builders and the KServe v2 test peer are in @aiaa/inference/testing.

/** The engine contract: an engine loads a model file and returns a handle that runs named tensors. */
export {
  TENSOR_DTYPES,
  isTensorDType,
  type InferenceEngine,
  type ModelHandle,
  type ModelLoadSpec,
  type RunOptions,
  type Tensor,
  type TensorData,
  type TensorDataByType,
  type TensorDType,
  type TensorInfo,
} from './engine';
/** The engines `--engine` can name, and the one factory that starts them. */
export { ENGINE_NAMES, IN_PROCESS_ENGINE, createEngine, type EngineName, type EngineOptions } from './engines';

/** A model's `config_aiaa.json` (v3 or v4), validated once; its accessors hide the schema differences. */
export {
  MODEL_TYPES,
  ModelConfig,
  type InferenceArgs,
  type ModelConfigOptions,
  type ModelType,
  type TransformSpec,
} from './model-config';
/** The JSON Schema of config_aiaa.json, generated from the schemas that validate it. */
export { CONFIG_SCHEMA_ID, configJsonSchema, transformArgsSchema, type JsonSchema } from './config-schema';
/** A model's files: a config's `path` kept inside the model folder, read as a bounded regular file. */
export {
  MAX_MODEL_FILE_BYTES,
  ModelFileError,
  readModelFile,
  resolveModelPath,
  type ReadModelFileOptions,
} from './model-file';
/** The base class of a bring-your-own inference, and the names the server runs itself. */
export { BUILTIN_INFERENCE_NAMES, Inference, isBuiltinInference } from './inference';

/** The built-in inference: the model file run on the chosen engine, whole or in sliding windows. */
export { ENGINE_RUNS_PROPERTY, NativeInference, type NativeInferenceOptions } from './builtin/native-inference';
/** MONAI's sliding-window inference: windows cut, batched, run and blended (constant or gaussian). */
export {
  importanceMap,
  slidingWindowInference,
  windowGrid,
  type SlidingWindowOptions,
  type WindowGrid,
} from './builtin/sliding-window';
/** Voxels to tensors and back, in the tensor's own datatype (float16 as raw half bits). */
export { floatToHalf, halfToFloat, tensorToFloat32, tensorToVoxels, voxelsToTensor } from './builtin/tensor-voxels';

/** The `AIAA` engine: `.onnx` models in-process with onnxruntime. */
export { ModelLoadError, OnnxEngine, OnnxModelHandle, type OnnxEngineOptions } from './engines/onnx/onnx-engine';
/** The labels a model is listed with: its config's, else its `.onnx` file's `labels` metadata. */
export { labelsFromMetadata, readOnnxMetadata, resolveModelLabels } from './engines/onnx/onnx-metadata';
/** The `TRITON` engine: models deployed to a Triton server and run over KServe v2 gRPC. */
export { TritonEngine, type TritonEngineOptions, type TritonStatus } from './engines/triton/triton-engine';
/** A typed KServe v2 gRPC client (tensors checked before sending), for talking to Triton directly. */
export {
  GRPC_MAX_MESSAGE_BYTES,
  KServeClient,
  type KServeCallOptions,
  type KServeClientOptions,
  type KServeInferRequest,
  type KServeInferResult,
  type KServeLoadOptions,
  type KServeModelIndexEntry,
  type KServeModelMetadata,
  type KServeServerMetadata,
  type KServeTensorMetadata,
} from './engines/triton/kserve-client';
/** gRPC failures as library errors, keeping the gRPC status code. */
export { KServeCallError, grpcStatusOf, toKServeError, type KServeCallSite } from './engines/triton/kserve-errors';
/** The KServe v2 datatypes this library carries, one per tensor dtype. */
export { KSERVE_DATATYPES, type KServeDatatype } from './engines/triton/kserve-datatypes';
/** Triton's model configuration and KServe parameters, as plain objects. */
export type {
  InferParameter,
  ModelConfigTensor,
  ModelInstanceGroup,
  TritonModelConfig,
} from './engines/triton/kserve-proto';
/** Triton's `config.pbtxt` text format, read and written. */
export { parsePbtxt, renderPbtxt } from './engines/triton/config-pbtxt';
/** Checks a Triton model configuration against model_config.proto, naming the field at fault. */
export { checkTritonModelConfig } from './engines/triton/triton-config-schema';

/** A model's pipeline: pre-transforms, inference, post-transforms and writer as timed stages, one signal through all. */
export {
  ModelPipeline,
  PipelineStageError,
  type InferenceResolver,
  type InferenceStep,
  type ModelPipelineOptions,
  type PipelineResult,
  type PipelineRunOptions,
  type PipelineStage,
  type StageKind,
  type StageTiming,
  type StageTimings,
} from './pipeline/model-pipeline';
/** AIAA's `cache_until`: snapshots of a session's pre-transformed context, kept in a bounded LRU. */
export { ContextCache, ContextSnapshot, type ContextCacheOptions } from './pipeline/context-cache';
/** Pipelines run in worker threads, so CPU-heavy stages leave the event loop free. */
export { PipelineWorkerPool, type PipelineWorkerPoolOptions } from './pipeline/pipeline-worker';
/** What a worker thread needs to build a model's pipeline: plain data and the module of its factory. */
export type { PipelineFactory, PipelineFactoryRef, PipelineSpec } from './pipeline/pipeline-worker-protocol';
/** An error raised in a worker thread that the main thread does not rebuild by class; keeps its name and kind. */
export { PipelineWorkerError } from './pipeline/context-transfer';
