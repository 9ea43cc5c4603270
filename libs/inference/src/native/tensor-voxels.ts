import { type VoxelArray, InvalidInputError } from '@aiaa/core';
import type { Tensor } from '../engine';

/** IEEE 754 half-precision bits → number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) {
    return sign * 2 ** -14 * (fraction / 1024);
  }
  if (exponent === 31) {
    return fraction ? NaN : sign * Infinity;
  }
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** A tensor's values as float32: the data itself when it is float32, else one converting pass. */
export function tensorToFloat32(tensor: Tensor): Float32Array {
  if (tensor.dtype === 'float32') {
    return tensor.data as Float32Array;
  }
  const out = new Float32Array(tensor.data.length);
  copyConverted(tensor, out);
  return out;
}

/**
 * A tensor's values as image voxels: shared when the type is a voxel type (bool as uint8 0/1); int64 becomes int32
 * and float16 float32, converted in one pass.
 * @throws InvalidInputError when an int64 value does not fit int32.
 */
export function tensorToVoxels(tensor: Tensor, what: string): VoxelArray {
  switch (tensor.dtype) {
    case 'float32':
    case 'float64':
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'bool':
      return tensor.data as VoxelArray;
    case 'float16':
      return tensorToFloat32(tensor);
    case 'int64': {
      const data = tensor.data as BigInt64Array;
      const out = new Int32Array(data.length);
      for (let i = 0; i < data.length; i++) {
        const v = data[i] as bigint;
        if (v > 2147483647n || v < -2147483648n) {
          throw new InvalidInputError(`${what}: int64 value ${v} at index ${i} does not fit an int32 image`);
        }
        out[i] = Number(v);
      }
      return out;
    }
  }
}

function copyConverted(tensor: Tensor, out: Float32Array): void {
  const data = tensor.data;
  if (tensor.dtype === 'float16') {
    for (let i = 0; i < data.length; i++) {
      out[i] = halfToFloat(data[i] as number);
    }
  } else if (data instanceof BigInt64Array) {
    for (let i = 0; i < data.length; i++) {
      out[i] = Number(data[i]);
    }
  } else {
    out.set(data);
  }
}
