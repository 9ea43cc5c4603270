import { type VoxelArray, InvalidInputError, castVoxels } from '@aiaa/core';
import type { Tensor, TensorDType } from '../engine';

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

/** A number → IEEE 754 half-precision bits (round to nearest even; overflow to ±Infinity, NaN kept). */
export function floatToHalf(value: number): number {
  FLOAT_VIEW[0] = value;
  const bits = INT_VIEW[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) {
    return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  }
  const e = exponent - 127 + 15;
  if (e >= 0x1f) {
    return sign | 0x7c00;
  }
  if (e <= 0) {
    if (e < -10) {
      return sign;
    }
    // Subnormal half: shift the implicit 1 in, then round to nearest even.
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (rest > midpoint || (rest === midpoint && half & 1) ? half + 1 : half);
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to Infinity).
  return sign | (rest > 0x1000 || (rest === 0x1000 && half & 1) ? half + 1 : half);
}

const FLOAT_VIEW = new Float32Array(1);
const INT_VIEW = new Uint32Array(FLOAT_VIEW.buffer);

/**
 * Voxels as the data of a tensor of `dtype`: shared when the types match, else converted in one pass (integers
 * rounded and clamped as castVoxels does; bool is `v != 0`; float16 as half bits; int64 from rounded values).
 */
export function voxelsToTensor(voxels: VoxelArray, dtype: TensorDType, shape: readonly number[]): Tensor {
  switch (dtype) {
    case 'float32':
    case 'float64':
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return { dtype, shape, data: castVoxels(voxels, dtype) } as Tensor;
    case 'bool': {
      const out = new Uint8Array(voxels.length);
      for (let i = 0; i < voxels.length; i++) {
        out[i] = voxels[i] !== 0 ? 1 : 0;
      }
      return { dtype, shape, data: out };
    }
    case 'float16': {
      const out = new Uint16Array(voxels.length);
      for (let i = 0; i < voxels.length; i++) {
        out[i] = floatToHalf(voxels[i] as number);
      }
      return { dtype, shape, data: out };
    }
    case 'int64': {
      const out = new BigInt64Array(voxels.length);
      for (let i = 0; i < voxels.length; i++) {
        const v = voxels[i] as number;
        out[i] = Number.isFinite(v) ? BigInt(Math.round(v)) : 0n;
      }
      return { dtype, shape, data: out };
    }
  }
}
