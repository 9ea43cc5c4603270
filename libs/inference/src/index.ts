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
  type EngineName,
  type InferenceArgs,
  type ModelConfigOptions,
  type ModelType,
  type TransformSpec,
} from './model-config';
export { BUILTIN_INFERENCE_NAMES, Inference, isBuiltinInference } from './inference';
