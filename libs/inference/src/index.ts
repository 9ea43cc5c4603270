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
