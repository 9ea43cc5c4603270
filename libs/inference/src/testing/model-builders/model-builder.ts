import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import type { TensorData, TensorDType } from '../../engine';

/** The vendored `onnx.proto` subset lives beside this module; resolving from __dirname keeps that true at run time. */
const ONNX_PROTO_PATH = join(__dirname, 'onnx.proto');

/** ONNX `TensorProto.DataType` numbers of the engine's tensor types. */
export const ONNX_DATA_TYPES: Readonly<Record<TensorDType, number>> = Object.freeze({
  float32: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
  uint32: 12,
});

/** A graph input or output: name, element type and shape (a string names a dynamic dimension, e.g. `'N'`). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dtype: TensorDType;
  readonly shape: readonly (number | string)[];
}

/** A constant tensor of the graph (weights, thresholds); stored as little-endian `raw_data`. */
export interface OnnxInitializer {
  readonly name: string;
  readonly dtype: TensorDType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/** A node attribute, typed as ONNX types it (an integer-valued float is still a FLOAT). */
export type OnnxAttribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'tensor'; readonly value: OnnxInitializer };

/** One operator of the graph, e.g. `{ opType: 'Sub', inputs: ['x', 't'], outputs: ['y'] }`. */
export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** Operator domain; empty for the default `ai.onnx` operators. */
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** What {@link buildModel} needs. */
export interface OnnxModelSpec {
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly nodes: readonly OnnxNode[];
  readonly initializers?: readonly OnnxInitializer[];
  /** Version of the default operator set. Default 17. */
  readonly opset?: number;
  /** ONNX IR version. Default 8 (ONNX 1.10+, loaded by every onnxruntime since 1.10). */
  readonly irVersion?: number;
  readonly graphName?: string;
  readonly docString?: string;
  /** `metadata_props` of the model (key → value). */
  readonly metadata?: Readonly<Record<string, string>>;
}

let modelProtoType: protobuf.Type | undefined;

function modelProto(): protobuf.Type {
  modelProtoType ??= protobuf.loadSync(ONNX_PROTO_PATH).lookupType('onnx.ModelProto');
  return modelProtoType;
}

/**
 * Encodes an ONNX model (`ModelProto`) from a graph description. The output is deterministic: the same spec gives the
 * same bytes, so generated models can be committed and compared.
 * @throws RangeError when an initializer's data length does not match its shape, or a name is used twice.
 */
export function buildModel(spec: OnnxModelSpec): Uint8Array {
  const names = new Set<string>();
  for (const value of [...spec.inputs, ...(spec.initializers ?? [])]) {
    if (names.has(value.name)) {
      throw new RangeError(`graph value '${value.name}' is declared twice`);
    }
    names.add(value.name);
  }
  const model = {
    irVersion: spec.irVersion ?? 8,
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }],
    producerName: 'aiaa-onnx-builder',
    producerVersion: '1',
    docString: spec.docString ?? '',
    graph: {
      name: spec.graphName ?? 'graph',
      node: spec.nodes.map((node, i) => ({
        input: [...node.inputs],
        output: [...node.outputs],
        name: node.name ?? `${node.opType.toLowerCase()}_${i}`,
        opType: node.opType,
        domain: node.domain ?? '',
        attribute: Object.entries(node.attributes ?? {}).map(([name, attribute]) => encodeAttribute(name, attribute)),
      })),
      initializer: (spec.initializers ?? []).map(encodeTensor),
      input: spec.inputs.map(encodeValueInfo),
      output: spec.outputs.map(encodeValueInfo),
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  const type = modelProto();
  return type.encode(type.fromObject(model)).finish();
}

function encodeValueInfo(value: OnnxValueInfo): object {
  return {
    name: value.name,
    type: {
      tensorType: {
        elemType: ONNX_DATA_TYPES[value.dtype],
        shape: { dim: value.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function encodeTensor(tensor: OnnxInitializer): object {
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== count) {
    throw new RangeError(
      `initializer '${tensor.name}' has ${tensor.data.length} values but shape [${tensor.shape.join(', ')}] holds ${count}`,
    );
  }
  // raw_data is little-endian; typed arrays are in platform order, which is little-endian on every supported target.
  const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  return { name: tensor.name, dims: [...tensor.shape], dataType: ONNX_DATA_TYPES[tensor.dtype], rawData: bytes };
}

/** AttributeProto.AttributeType numbers. */
const ATTRIBUTE_TYPES = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

function encodeAttribute(name: string, attribute: OnnxAttribute): object {
  const type = ATTRIBUTE_TYPES[attribute.type];
  switch (attribute.type) {
    case 'int':
      return { name, type, i: attribute.value };
    case 'float':
      return { name, type, f: attribute.value };
    case 'string':
      return { name, type, s: Buffer.from(attribute.value, 'utf8') };
    case 'ints':
      return { name, type, ints: [...attribute.value] };
    case 'floats':
      return { name, type, floats: [...attribute.value] };
    case 'tensor':
      return { name, type, t: encodeTensor(attribute.value) };
  }
}
