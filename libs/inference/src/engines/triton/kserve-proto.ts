import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';

/**
 * Wire shapes of the KServe v2 messages as @grpc/proto-loader hands them over with the options below: proto field
 * names (`keepCase`), enums as their names (`TYPE_FP32`), defaults filled in, the set member of a oneof named by its
 * oneof field, bytes as Buffer, and 64-bit integers as JS numbers (`longs: Number`). Numbers are exact up to 2^53,
 * which covers every shape, dim, size and count this server meets; an int64 request parameter above 2^53 would be
 * rounded.
 */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** `.proto` files live beside this module in the source tree; resolving from __dirname keeps that true at run time. */
export const GRPC_SERVICE_PROTO_PATH = join(__dirname, 'grpc_service.proto');

/** InferParameter / ModelRepositoryParameter: one member set. */
export interface InferParameter {
  bool_param?: boolean;
  int64_param?: number;
  string_param?: string;
  double_param?: number;
  uint64_param?: number;
}

export interface ModelRepositoryParameter {
  bool_param?: boolean;
  int64_param?: number;
  string_param?: string;
  bytes_param?: Uint8Array;
}

export interface ModelReadyRequest {
  name: string;
  version?: string;
}

/** A model input or output as ModelMetadata describes it: name, KServe datatype (`FP32`, …), shape (-1: any). */
export interface TensorMetadataMessage {
  name: string;
  datatype: string;
  shape: number[];
}

/** A model's ModelMetadata: its name, versions, platform (`onnxruntime_onnx`, …) and tensors. */
export interface ModelMetadataResponse {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadataMessage[];
  outputs: TensorMetadataMessage[];
}

/** The server's ServerMetadata: its name, version and the protocol extensions it supports. */
export interface ServerMetadataResponse {
  name: string;
  version: string;
  extensions: string[];
}

export interface InferInputTensorMessage {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, InferParameter>;
}

export interface ModelInferRequest {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: Record<string, InferParameter>;
  inputs: InferInputTensorMessage[];
  outputs?: { name: string; parameters?: Record<string, InferParameter> }[];
  raw_input_contents: Uint8Array[];
}

export interface InferOutputTensorMessage {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, InferParameter>;
  contents?: unknown;
}

export interface ModelInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  parameters?: Record<string, InferParameter>;
  outputs: InferOutputTensorMessage[];
  raw_output_contents: Uint8Array[];
}

/** One `input`/`output` entry of a Triton model config (config.pbtxt / model_config.proto field names). */
export interface ModelConfigTensor {
  name: string;
  /** `TYPE_FP32`, `TYPE_INT64`, … */
  data_type: string;
  /** Per-item dims (without the batch dimension when `max_batch_size > 0`); -1 marks a variable dimension. */
  dims: number[];
  /** Inputs only: `FORMAT_NONE`, `FORMAT_NCHW`, `FORMAT_NHWC`. */
  format?: string;
}

/** Where and how many copies of a model Triton runs (model_config.proto's `ModelInstanceGroup`). */
export interface ModelInstanceGroup {
  count: number;
  /** `KIND_AUTO`, `KIND_GPU`, `KIND_CPU`, `KIND_MODEL`. */
  kind: string;
  gpus?: number[];
  name?: string;
}

/**
 * The part of Triton's ModelConfig this server writes and reads, with model_config.proto's field names: the shape of
 * the ModelConfig RPC answer, of the `config` JSON of RepositoryModelLoad, and of AIAA's `triton_model_config`.
 */
export interface TritonModelConfig {
  name: string;
  platform: string;
  backend?: string;
  max_batch_size: number;
  input: ModelConfigTensor[];
  output: ModelConfigTensor[];
  instance_group?: ModelInstanceGroup[];
  default_model_filename?: string;
  dynamic_batching?: { preferred_batch_size?: number[]; max_queue_delay_microseconds?: number };
  parameters?: Record<string, { string_value: string }>;
}

/** One model of RepositoryIndex: name, version, state (`READY`, `UNAVAILABLE`, …) and the reason of that state. */
export interface ModelIndexMessage {
  name: string;
  version: string;
  state: string;
  reason: string;
}

export interface RepositoryModelLoadRequest {
  repository_name?: string;
  model_name: string;
  parameters?: Record<string, ModelRepositoryParameter>;
}

let cached: grpc.ServiceDefinition | undefined;

/** The service definition of `inference.GRPCInferenceService`, loaded once from the `.proto` beside this module. */
export function inferenceServiceDefinition(): grpc.ServiceDefinition {
  if (cached === undefined) {
    const definition = protoLoader.loadSync(GRPC_SERVICE_PROTO_PATH, PROTO_LOADER_OPTIONS);
    const service = definition['inference.GRPCInferenceService'];
    if (service === undefined || 'format' in service) {
      throw new Error(`${GRPC_SERVICE_PROTO_PATH}: no service inference.GRPCInferenceService`);
    }
    cached = service as grpc.ServiceDefinition;
  }
  return cached;
}

/** A grpc-js client class for the service (one instance = one channel). */
export function inferenceClientConstructor(): grpc.ServiceClientConstructor {
  return grpc.makeGenericClientConstructor(inferenceServiceDefinition(), 'GRPCInferenceService');
}
