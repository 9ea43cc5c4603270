// Test builders for @aiaa/inference and its dependants (`@aiaa/inference/testing`); never imported by production code.
export {
  buildIdentityModel,
  buildInvertModel,
  buildSmoothingConv,
  buildThresholdSegmenter,
  type TensorNames,
} from './onnx/ready-models';
export { buildModel } from './onnx/model-builder';
export {
  KServePeer,
  type KServePeerFaults,
  type KServePeerGarbage,
  type KServePeerOptions,
} from './triton/testing/kserve-peer';
