import { allocateVoxels, bytesPerVoxel, castVoxels, dtypeOf, isVoxelDType } from './dtype';

describe('voxel datatypes', () => {
  it('knows each datatype size', () => {
    expect(bytesPerVoxel('uint8')).toBe(1);
    expect(bytesPerVoxel('int16')).toBe(2);
    expect(bytesPerVoxel('float64')).toBe(8);
    expect(dtypeOf(allocateVoxels('uint32', 3))).toBe('uint32');
    expect(isVoxelDType('float16')).toBe(false);
  });

  it('casts floats to integers by rounding and clamping, not wrapping', () => {
    const out = castVoxels(Float32Array.from([300, -4, 1.5, 2.49, NaN]), 'uint8');
    expect(Array.from(out)).toEqual([255, 0, 2, 2, 0]);
  });

  it('clamps integers into a narrower integer type', () => {
    expect(Array.from(castVoxels(Int16Array.from([-1, 70000 % 32768, 200]), 'int8'))).toEqual([-1, 127, 127]);
  });

  it('returns the same array when the datatype already matches', () => {
    const voxels = Int16Array.from([1, 2]);
    expect(castVoxels(voxels, 'int16')).toBe(voxels);
  });
});
