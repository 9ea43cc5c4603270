import { InvalidInputError } from '@aiaa/core';
import { floatToHalf, halfToFloat, tensorToFloat32, tensorToVoxels, voxelsToTensor } from './tensor-voxels';

describe('floatToHalf and halfToFloat', () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff], // largest half
    [65520, 0x7c00], // rounds up to Infinity
    [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -14, 0x0400], // smallest normal
    [1e-9, 0x0000],
    [0.1, 0x2e66],
    [1 + 2 ** -11, 0x3c00], // halfway between 1 and the next half: ties to even
    [1 + 3 * 2 ** -11, 0x3c02],
  ])('encodes %p as 0x%s', (value, bits) => {
    expect(floatToHalf(value).toString(16)).toBe(bits.toString(16));
  });

  it('round-trips every half value except NaN', () => {
    let checked = 0;
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = halfToFloat(bits);
      if (Number.isNaN(value)) {
        expect(floatToHalf(value) & 0x7c00).toBe(0x7c00);
        continue;
      }
      // -0 and +0 both decode to a zero; keep the sign bit as given.
      expect(floatToHalf(value)).toBe(bits);
      checked++;
    }
    expect(checked).toBe(0x10000 - 2 * 1023);
  });
});

describe('voxelsToTensor', () => {
  it('shares float32 voxels and converts to other types in one pass', () => {
    const voxels = Float32Array.of(0, 1.6, -2.5, 3);
    expect(voxelsToTensor(voxels, 'float32', [4]).data).toBe(voxels);
    expect(Array.from(voxelsToTensor(voxels, 'bool', [4]).data as Uint8Array)).toEqual([0, 1, 1, 1]);
    expect(Array.from(voxelsToTensor(voxels, 'int64', [4]).data as BigInt64Array)).toEqual([0n, 2n, -2n, 3n]);
    expect(Array.from(voxelsToTensor(voxels, 'uint8', [4]).data as Uint8Array)).toEqual([0, 2, 0, 3]);
    expect(Array.from(voxelsToTensor(voxels, 'float16', [4]).data as Uint16Array)).toEqual([
      0x0000,
      floatToHalf(1.6),
      0xc100,
      0x4200,
    ]);
  });
});

describe('tensorToVoxels and tensorToFloat32', () => {
  it('turns int64 into int32 and float16 into float32', () => {
    expect(Array.from(tensorToVoxels({ dtype: 'int64', shape: [2], data: BigInt64Array.of(-5n, 7n) }, 'out'))).toEqual([
      -5, 7,
    ]);
    expect(Array.from(tensorToFloat32({ dtype: 'float16', shape: [2], data: Uint16Array.of(0x3c00, 0xc000) }))).toEqual(
      [1, -2],
    );
  });

  it('rejects an int64 value beyond int32, naming the output', () => {
    const tensor = { dtype: 'int64' as const, shape: [1], data: BigInt64Array.of(2n ** 40n) };
    expect(() => tensorToVoxels(tensor, "model 'm': output 'y'")).toThrow(
      new InvalidInputError("model 'm': output 'y': int64 value 1099511627776 at index 0 does not fit an int32 image"),
    );
  });
});
