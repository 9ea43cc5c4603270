import { InvalidInputError } from '../errors';
import { makeImage } from '../testing';
import { applyMat4, scalingAffine } from './affine';
import { cropOrPad } from './crop';

/** Voxels 1..n, so that a zero in the output can only be padding. */
function ramp(n: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => i + 1);
}

describe('cropOrPad', () => {
  // 2×3×4 (D, H, W); voxel (z, y, x) holds z·12 + y·4 + x + 1. Spacing 2, 3, 4 mm, origin (10, 20, 30).
  const affine = scalingAffine([2, 3, 4], [10, 20, 30]);
  const image = makeImage(ramp(24), [2, 3, 4], 'DHW', affine);

  it('crops a box that runs past the far borders, padding with zeros', () => {
    const out = cropOrPad(image, [1, 1, 2], [2, 3, 3]);
    expect(out.shape).toEqual([2, 3, 3]);
    expect(Array.from(out.voxels)).toEqual([19, 20, 0, 23, 24, 0, 0, 0, 0, ...new Array(9).fill(0)]);
    expect(out.dtype).toBe('int16');
    // New voxel 0 is old voxel (i, j, k) = (2, 1, 1): 10 + 2·2, 20 + 3·1, 30 + 4·1.
    expect(applyMat4(out.affine, [0, 0, 0])).toEqual([14, 23, 34]);
    expect(out.spacingMm).toEqual([2, 3, 4]);
  });

  it('pads before the first voxel with the fill value and moves the origin back', () => {
    const out = cropOrPad(image, [0, -1, -1], [1, 2, 2], -5);
    expect(Array.from(out.voxels)).toEqual([-5, -5, -5, 1]);
    expect(applyMat4(out.affine, [0, 0, 0])).toEqual([8, 17, 30]);
    // Every output voxel keeps its world position: output (1, 1, 0) is input (0, 0, 0).
    expect(applyMat4(out.affine, [1, 1, 0])).toEqual(applyMat4(affine, [0, 0, 0]));
  });

  it('keeps channels-first channels whole', () => {
    const cdhw = makeImage(ramp(8), [2, 1, 2, 2], 'CDHW');
    const out = cropOrPad(cdhw, [0, 0, 1], [1, 2, 1]);
    expect(out.shape).toEqual([2, 1, 2, 1]);
    expect(Array.from(out.voxels)).toEqual([2, 4, 6, 8]);
  });

  it('keeps channels-last channels whole', () => {
    const dhwc = makeImage(ramp(8), [1, 2, 2, 2], 'DHWC');
    const out = cropOrPad(dhwc, [0, 1, 0], [1, 1, 2]);
    expect(out.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(out.voxels)).toEqual([5, 6, 7, 8]);
  });

  it('crops 2-D images in-plane', () => {
    const hw = makeImage(ramp(9), [3, 3], 'HW', scalingAffine([0.5, 0.5, 1]));
    const out = cropOrPad(hw, [1, 1], [2, 2]);
    expect(Array.from(out.voxels)).toEqual([5, 6, 8, 9]);
    expect(applyMat4(out.affine, [0, 0, 0])).toEqual([0.5, 0.5, 0]);
  });

  it('returns all fill when the box misses the image', () => {
    const out = cropOrPad(image, [5, 5, 5], [1, 1, 2], 7);
    expect(Array.from(out.voxels)).toEqual([7, 7]);
  });

  describe('bad boxes', () => {
    it('rejects a box of the wrong rank', () => {
      expect(() => cropOrPad(image, [0, 0], [1, 1])).toThrow(InvalidInputError);
      expect(() => cropOrPad(image, [0, 0], [1, 1])).toThrow(/start \[0, 0\] and size \[1, 1\]: expected 3 integers/);
    });

    it('rejects an empty or fractional box', () => {
      expect(() => cropOrPad(image, [0, 0, 0], [1, 0, 1])).toThrow(/size \[1, 0, 1\]/);
      expect(() => cropOrPad(image, [0, 0.5, 0], [1, 1, 1])).toThrow(InvalidInputError);
    });
  });
});
