// The public surface of @aiaa/inference.
export type {
  InferenceEngine,
  ModelHandle,
  ModelLoadSpec,
  RunOptions,
  Tensor,
  TensorData,
  TensorDataByType,
  TensorDType,
  TensorInfo,
} from './engine';
export {
  MODEL_TYPES,
  ModelConfig,
  type InferenceArgs,
  type ModelConfigOptions,
  type ModelType,
  type TransformSpec,
} from './model-config';
export { BUILTIN_INFERENCE_NAMES, Inference, isBuiltinInference } from './inference';
export {
  buildModel,
  ONNX_DATA_TYPES,
  type OnnxAttribute,
  type OnnxInitializer,
  type OnnxModelSpec,
  type OnnxNode,
  type OnnxValueInfo,
} from './testing/model-builders/model-builder';
export {
  buildIdentityModel,
  buildInvertModel,
  buildSmoothingConv,
  buildThresholdSegmenter,
  type TensorNames,
} from './testing/model-builders/ready-models';
export { ContextCache, ContextSnapshot, type ContextCacheOptions } from './pipeline/context-cache';
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
export { ModelLoadError, OnnxEngine, OnnxModelHandle, type OnnxEngineOptions } from './engines/onnx/onnx-engine';
export { PipelineWorkerPool, type PipelineWorkerPoolOptions } from './pipeline/pipeline-worker';
export type { PipelineFactory, PipelineFactoryRef, PipelineSpec } from './pipeline/pipeline-worker-protocol';
export { PipelineWorkerError } from './pipeline/context-transfer';
export {
  importanceMap,
  slidingWindowInference,
  windowGrid,
  type SlidingWindowOptions,
  type WindowGrid,
} from './builtin/sliding-window';
export { NativeInference, type NativeInferenceOptions } from './builtin/native-inference';
export { halfToFloat, tensorToFloat32, tensorToVoxels } from './builtin/tensor-voxels';
export { ENGINE_NAMES, IN_PROCESS_ENGINE, createEngine, type EngineName, type EngineOptions } from './engines';
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
} from './engines/triton/kserve-client';
export { grpcStatusOf, KServeCallError, toKServeError } from './engines/triton/kserve-errors';
export { KSERVE_DATATYPES, type KServeDatatype } from './engines/triton/kserve-datatypes';
export type { InferParameter, ModelConfigTensor, TritonModelConfig } from './engines/triton/kserve-proto';
export { parsePbtxt, renderPbtxt } from './engines/triton/config-pbtxt';
export { checkTritonModelConfig } from './engines/triton/triton-config-schema';
export { TritonEngine, type TritonEngineOptions, type TritonStatus } from './engines/triton/triton-engine';
export { buildWindowSegmenter, type WindowSegmenterOptions } from './testing/model-builders/ready-models';
export type { ThresholdSegmenterOptions } from './testing/model-builders/ready-models';
export { floatToHalf, voxelsToTensor } from './builtin/tensor-voxels';
