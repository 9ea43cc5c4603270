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
} from './testing/model-builders/ready-models';
export { buildModel } from './testing/model-builders/model-builder';
export {
  KServePeer,
  type KServePeerFaults,
  type KServePeerGarbage,
  type KServePeerOptions,
} from './engines/triton/testing/kserve-peer';
