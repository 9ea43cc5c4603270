// Test builders for @aiaa/inference and its dependants (`@aiaa/inference/testing`); never imported by production code.
export {
  buildIdentityModel,
  buildInvertModel,
  buildSmoothingConv,
  buildThresholdSegmenter,
  buildWindowSegmenter,
  type TensorNames,
  type ThresholdSegmenterOptions,
  type WindowSegmenterOptions,
} from './onnx/ready-models';
export { buildModel } from './onnx/model-builder';
export {
  KServePeer,
  type KServePeerFaults,
  type KServePeerGarbage,
  type KServePeerOptions,
} from './triton/testing/kserve-peer';
