// Test builders for @aiaa/inference and its dependants (`@aiaa/inference/testing`): tests, and the tools that build
// the demo models; never imported by the server.

/** Small real `.onnx` models built from code: a threshold, an inversion, an identity, a smoothing, a window. */
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
/** An ONNX model written from a graph spec (nodes, initializers, inputs, outputs) with the vendored onnx.proto. */
export {
  ONNX_DATA_TYPES,
  buildModel,
  type OnnxAttribute,
  type OnnxInitializer,
  type OnnxModelSpec,
  type OnnxNode,
  type OnnxValueInfo,
} from './testing/model-builders/model-builder';
/** A KServe v2 gRPC server on onnxruntime: the Triton stand-in of the tests, the benchmarks and `triton-peer`. */
export {
  KServePeer,
  type KServePeerFaults,
  type KServePeerGarbage,
  type KServePeerOptions,
} from './engines/triton/testing/kserve-peer';
