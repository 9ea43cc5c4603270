import { InvalidInputError } from '@aiaa/core';
import { endianness } from 'node:os';
import type { Tensor, TensorData, TensorDType } from '../../engine';

/** KServe v2 datatype names this library can carry, one per engine {@link TensorDType}. */
export const KSERVE_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
] as const;
/** A KServe v2 datatype of {@link KSERVE_DATATYPES} (`FP32`, `INT64`, …). */
export type KServeDatatype = (typeof KSERVE_DATATYPES)[number];

interface DatatypeInfo {
  readonly dtype: TensorDType;
  readonly bytes: number;
  /** The name of the same type in config.pbtxt (model_config.proto `DataType`). */
  readonly configType: string;
  readonly array: TypedArrayClass;
}

interface TypedArrayClass {
  new (length: number): TensorData;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData;
  readonly name: string;
}

const TABLE: Record<KServeDatatype, DatatypeInfo> = {
  BOOL: { dtype: 'bool', bytes: 1, configType: 'TYPE_BOOL', array: Uint8Array },
  UINT8: { dtype: 'uint8', bytes: 1, configType: 'TYPE_UINT8', array: Uint8Array },
  UINT16: { dtype: 'uint16', bytes: 2, configType: 'TYPE_UINT16', array: Uint16Array },
  UINT32: { dtype: 'uint32', bytes: 4, configType: 'TYPE_UINT32', array: Uint32Array },
  INT8: { dtype: 'int8', bytes: 1, configType: 'TYPE_INT8', array: Int8Array },
  INT16: { dtype: 'int16', bytes: 2, configType: 'TYPE_INT16', array: Int16Array },
  INT32: { dtype: 'int32', bytes: 4, configType: 'TYPE_INT32', array: Int32Array },
  INT64: { dtype: 'int64', bytes: 8, configType: 'TYPE_INT64', array: BigInt64Array },
  FP16: { dtype: 'float16', bytes: 2, configType: 'TYPE_FP16', array: Uint16Array },
  FP32: { dtype: 'float32', bytes: 4, configType: 'TYPE_FP32', array: Float32Array },
  FP64: { dtype: 'float64', bytes: 8, configType: 'TYPE_FP64', array: Float64Array },
};

const BY_DTYPE = new Map<TensorDType, KServeDatatype>(KSERVE_DATATYPES.map((d) => [TABLE[d].dtype, d]));
const BY_CONFIG_TYPE = new Map<string, KServeDatatype>(KSERVE_DATATYPES.map((d) => [TABLE[d].configType, d]));

// Raw tensor contents are little-endian on the wire and typed arrays use the host order; refusing big-endian hosts
// once is simpler and safer than swapping bytes on every tensor.
if (endianness() !== 'LE') {
  throw new Error('the KServe client needs a little-endian host: raw tensor contents are little-endian');
}

/** True when `value` is one of the {@link KSERVE_DATATYPES}. */
export function isKServeDatatype(value: unknown): value is KServeDatatype {
  return typeof value === 'string' && value in TABLE;
}

/** The KServe datatype of an engine dtype (`float32` → `FP32`, `bool` → `BOOL`). */
export function kserveDatatypeOf(dtype: TensorDType): KServeDatatype {
  const datatype = BY_DTYPE.get(dtype);
  if (datatype === undefined) {
    throw new InvalidInputError(`tensor dtype '${String(dtype)}' has no KServe datatype`);
  }
  return datatype;
}

/**
 * The engine dtype of a KServe datatype string. `what` names the tensor for the error (e.g. `output 'pred' of model
 * 'spleen'`). Throws InvalidInputError for the types the engines cannot hold (UINT64, BYTES, BF16, unknown).
 */
export function tensorDTypeOf(datatype: string, what: string): TensorDType {
  if (!isKServeDatatype(datatype)) {
    throw new InvalidInputError(
      `${what}: datatype '${datatype}' is not supported (expected one of ${KSERVE_DATATYPES.join(', ')})`,
    );
  }
  return TABLE[datatype].dtype;
}

/** Bytes per element of a KServe datatype. */
export function datatypeByteSize(datatype: KServeDatatype): number {
  return TABLE[datatype].bytes;
}

/** The config.pbtxt name of a KServe datatype (`FP32` → `TYPE_FP32`). */
export function configDataTypeOf(datatype: KServeDatatype): string {
  return TABLE[datatype].configType;
}

/** The KServe datatype of a config.pbtxt `data_type` (`TYPE_FP32` → `FP32`), or undefined when unsupported. */
export function datatypeOfConfigType(configType: string): KServeDatatype | undefined {
  return BY_CONFIG_TYPE.get(configType);
}

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) {
    count *= dim;
  }
  return count;
}

/** `FP32[1,1,128,128,128]`, as the messages print a tensor type. */
export function describeTensorType(datatype: string, shape: readonly (number | string)[]): string {
  return `${datatype}[${shape.join(',')}]`;
}

/**
 * The raw little-endian bytes of a tensor (a view, no copy), after Triton-client-style checks that name the tensor:
 * a known dtype, data of the matching typed-array class, a shape of non-negative integers, and a byte length equal
 * to shape × element size. `what` is e.g. `input 'image'`. Throws InvalidInputError.
 */
export function tensorToRawBytes(what: string, tensor: Tensor): Buffer {
  const datatype = BY_DTYPE.get(tensor.dtype);
  if (datatype === undefined) {
    throw new InvalidInputError(`${what}: dtype '${String(tensor.dtype)}' has no KServe datatype`);
  }
  const info = TABLE[datatype];
  const shape = tensor.shape;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new InvalidInputError(`${what}: shape must be non-negative integers, got [${String(shape)}]`);
  }
  const data: unknown = tensor.data;
  if (!(data instanceof info.array)) {
    const got = ArrayBuffer.isView(data) ? data.constructor.name : typeof data;
    throw new InvalidInputError(`${what}: dtype ${tensor.dtype} needs a ${info.array.name}, got ${got}`);
  }
  const expected = elementCount(shape) * info.bytes;
  if (data.byteLength !== expected) {
    throw new InvalidInputError(
      `${what} got ${data.byteLength} bytes, expected ${expected} for ${describeTensorType(datatype, shape)}`,
    );
  }
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A tensor over raw little-endian bytes received for `what` (e.g. `output 'pred' of model 'spleen'`). Checks the
 * datatype and that the byte length equals shape × element size. Views the bytes when they are aligned for the
 * element type. Protobuf hands out slices at any offset: given `fieldNumber`, the number of the repeated bytes field
 * the slice was decoded from (`raw_output_contents` = 6, `raw_input_contents` = 7), a misaligned slice is moved down
 * within the received message over its own field header (tag and length, which precede it and are no longer needed)
 * so no fresh buffer is allocated; without it, or when the header is too short to absorb the shift, the bytes are
 * copied into a fresh buffer.
 */
export function rawBytesToTensor(
  what: string,
  datatype: string,
  shape: readonly number[],
  bytes: Uint8Array,
  fieldNumber?: number,
): Tensor {
  const dtype = tensorDTypeOf(datatype, what);
  const info = TABLE[datatype as KServeDatatype];
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new InvalidInputError(`${what}: shape must be non-negative integers, got [${shape.join(',')}]`);
  }
  const count = elementCount(shape);
  const expected = count * info.bytes;
  if (bytes.byteLength !== expected) {
    throw new InvalidInputError(
      `${what} got ${bytes.byteLength} bytes, expected ${expected} for ${describeTensorType(datatype, shape)}`,
    );
  }
  let source = bytes;
  if (bytes.byteOffset % info.bytes !== 0) {
    const moved = alignOverFieldHeader(bytes, info.bytes, fieldNumber);
    if (moved === undefined) {
      source = new Uint8Array(expected);
      source.set(bytes);
    } else {
      source = moved;
    }
  }
  const data = new info.array(source.buffer, source.byteOffset, count);
  return { dtype, shape: [...shape], data } as Tensor;
}

/**
 * Moves `bytes` down to the previous multiple of `align` inside its own buffer when the bytes it overwrites are the
 * protobuf header of its field (tag of `fieldNumber` with wire type 2, then the varint length), and returns the moved
 * view; undefined when that cannot be checked or the header is shorter than the shift.
 */
function alignOverFieldHeader(
  bytes: Uint8Array,
  align: number,
  fieldNumber: number | undefined,
): Uint8Array | undefined {
  if (fieldNumber === undefined) {
    return undefined;
  }
  const header = [(fieldNumber << 3) | 2];
  for (let length = bytes.byteLength; ; length = Math.floor(length / 128)) {
    header.push(length >= 128 ? (length % 128) | 128 : length);
    if (length < 128) {
      break;
    }
  }
  const shift = bytes.byteOffset % align;
  const start = bytes.byteOffset - header.length;
  if (shift > header.length || start < 0) {
    return undefined;
  }
  const whole = new Uint8Array(bytes.buffer, start, header.length + bytes.byteLength);
  if (header.some((b, i) => whole[i] !== b)) {
    return undefined;
  }
  // A memmove inside memory already paged in: far cheaper than faulting in a fresh buffer of the same size.
  whole.copyWithin(header.length - shift, header.length);
  return new Uint8Array(bytes.buffer, bytes.byteOffset - shift, bytes.byteLength);
}
