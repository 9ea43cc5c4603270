import { makeImage } from '../testing';
import { scalingAffine } from './affine';

describe('MedicalImage', () => {
  it('names spatial axes from the shape format', () => {
    const image = makeImage(new Int16Array(2 * 3 * 4 * 5), [2, 3, 4, 5], 'CDHW', scalingAffine([0.5, 0.75, 2]));
    expect(image.spatialShape).toEqual([3, 4, 5]);
    expect(image.sizeIjk).toEqual([5, 4, 3]);
    expect(image.channels).toBe(2);
    expect(image.spacingMm).toEqual([0.5, 0.75, 2]);
    expect(image.dtype).toBe('int16');
  });

  it('shares voxels when only geometry changes', () => {
    const image = makeImage(new Uint8Array(8), [2, 2, 2]);
    const moved = image.with({ affine: scalingAffine([2, 2, 2]) });
    expect(moved.voxels).toBe(image.voxels);
    expect(moved.spacingMm).toEqual([2, 2, 2]);
  });

  describe('bad input', () => {
    it('rejects a shape whose voxel count differs from the array', () => {
      expect(() => makeImage(new Uint8Array(7), [2, 2, 2])).toThrow(/holds 8 voxels but the array has 7/);
    });
    it('rejects a shape whose rank differs from the format', () => {
      expect(() => makeImage(new Uint8Array(8), [2, 4], 'DHW')).toThrow(/format DHW has 3/);
    });
  });
});
