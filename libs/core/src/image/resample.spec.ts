import { InvalidInputError } from '../errors';
import { makeImage } from '../testing';
import { applyMat4, mat4FromRows, scalingAffine } from './affine';
import { resampleToShape, resampleToSpacing } from './resample';

/** An oblique affine (rotation about z, anisotropic spacing, offset) to check world positions with. */
const oblique = mat4FromRows([
  [0, -0.8, 0, 10],
  [1.5, 0, 0, -20],
  [0, 0, 2.5, 30],
  [0, 0, 0, 1],
]);

function close(actual: ArrayLike<number>, expected: readonly number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

describe('resampleToShape', () => {
  it('upsamples a 2×2×2 ramp to 3×3×3 with corner centres kept (linear)', () => {
    // v = 4z + 2y + x; output (z, y, x) reads input (z/2, y/2, x/2), and trilinear reproduces a linear ramp:
    // 2z + y + x/2.
    const image = makeImage(Int16Array.from([0, 1, 2, 3, 4, 5, 6, 7]), [2, 2, 2]);
    const out = resampleToShape(image, [3, 3, 3], 'linear');
    const expected: number[] = [];
    for (let z = 0; z < 3; z++) {
      for (let y = 0; y < 3; y++) {
        for (let x = 0; x < 3; x++) {
          expected.push(2 * z + y + x / 2);
        }
      }
    }
    expect(out.dtype).toBe('float32');
    expect(out.shape).toEqual([3, 3, 3]);
    close(out.voxels, expected);
  });

  it('blends a non-linear volume from its neighbours along W', () => {
    // W 2 → 4 reads x = 0, 1/3, 2/3, 1 of [0, 9] and [3, 0].
    const image = makeImage(Float32Array.from([0, 9, 3, 0]), [1, 2, 2]);
    const out = resampleToShape(image, [1, 2, 4], 'linear');
    close(out.voxels, [0, 3, 6, 9, 3, 2, 1, 0]);
  });

  it('downsamples 5 → 3 onto the even input voxels exactly', () => {
    const image = makeImage(Float32Array.from([1, 7, 2, 8, 3]), [1, 1, 5]);
    expect(Array.from(resampleToShape(image, [1, 1, 3], 'linear').voxels)).toEqual([1, 2, 3]);
  });

  it('picks the nearest voxel, halves rounding up, and keeps the dtype', () => {
    // 3 → 5 reads x = 0, 0.5, 1, 1.5, 2.
    const image = makeImage(Uint8Array.from([10, 20, 30]), [1, 1, 3]);
    const out = resampleToShape(image, [1, 1, 5], 'nearest');
    expect(out.dtype).toBe('uint8');
    expect(Array.from(out.voxels)).toEqual([10, 20, 20, 30, 30]);
  });

  it('resamples each channel of a CDHW image on its own', () => {
    const image = makeImage(Float32Array.from([0, 2, 5, 5, 0, -4]), [2, 1, 1, 3], 'CDHW');
    const out = resampleToShape(image, [1, 1, 5], 'linear');
    expect(out.shape).toEqual([2, 1, 1, 5]);
    close(out.voxels, [0, 1, 2, 3.5, 5, 5, 2.5, 0, -2, -4]);
  });

  it('resamples a 2-D image in-plane and leaves the k column alone', () => {
    const image = makeImage(Float32Array.from([0, 1, 2, 3]), [2, 2], 'HW', scalingAffine([2, 2, 7], [1, 2, 3]));
    const out = resampleToShape(image, [3, 3], 'linear');
    close(out.voxels, [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3]);
    expect(out.spacingMm).toEqual([1, 1, 7]);
    expect(Array.from(out.affine.subarray(0, 12))).toEqual([1, 0, 0, 1, 0, 1, 0, 2, 0, 0, 7, 3]);
  });

  it('keeps the world position of the first and last voxel centres', () => {
    const image = makeImage(new Float32Array(4 * 5 * 6), [4, 5, 6], 'DHW', oblique);
    const out = resampleToShape(image, [7, 3, 11], 'linear');
    // Corner (i, j, k) = (W-1, H-1, D-1) on both grids, and the origin.
    close(applyMat4(out.affine, [10, 2, 6]), applyMat4(oblique, [5, 4, 3]), 9);
    close(applyMat4(out.affine, [0, 0, 0]), applyMat4(oblique, [0, 0, 0]), 9);
    // Spacing (i, j, k) = (1.5, 0.8, 2.5) · (in − 1)/(out − 1) = (1.5·5/10, 0.8·4/2, 2.5·3/6).
    close(out.spacingMm, [0.75, 1.6, 1.25], 12);
  });

  it('replicates an axis of size 1 and scales its column by in/out', () => {
    const image = makeImage(Float32Array.from([4, 8]), [1, 1, 2], 'DHW', scalingAffine([1, 1, 3]));
    const out = resampleToShape(image, [3, 1, 2], 'linear');
    expect(Array.from(out.voxels)).toEqual([4, 8, 4, 8, 4, 8]);
    expect(out.spacingMm).toEqual([1, 1, 1]);
  });

  it('returns labels to the same grid unchanged after an up-and-down round trip (nearest)', () => {
    const labels = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => (i * 7) % 4);
    const image = makeImage(labels, [3, 4, 5], 'DHW', oblique);
    const up = resampleToShape(image, [5, 9, 13], 'nearest');
    const back = resampleToShape(up, [3, 4, 5], 'nearest');
    expect(Array.from(back.voxels)).toEqual(Array.from(labels));
    close(back.affine, Array.from(oblique), 12);
  });

  it('returns a linear ramp unchanged after an up-and-down round trip (linear)', () => {
    const ramp = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const up = resampleToShape(makeImage(ramp, [2, 3, 4]), [3, 7, 9], 'linear');
    close(resampleToShape(up, [2, 3, 4], 'linear').voxels, Array.from(ramp));
  });

  describe('bad input', () => {
    it('rejects a shape of the wrong rank, naming the format', () => {
      const image = makeImage(new Float32Array(8), [2, 2, 2]);
      expect(() => resampleToShape(image, [2, 2], 'linear')).toThrow(InvalidInputError);
      expect(() => resampleToShape(image, [2, 2], 'linear')).toThrow(/DHW to spatial shape \[2, 2\]/);
      expect(() => resampleToShape(image, [2, 0, 2], 'linear')).toThrow(/positive integers/);
    });

    it('rejects a channels-last format', () => {
      const image = makeImage(new Float32Array(8), [2, 2, 2], 'HWC');
      expect(() => resampleToShape(image, [3, 3], 'nearest')).toThrow(/channels-first or spatial format, got HWC/);
    });
  });
});

describe('resampleToSpacing', () => {
  it('sizes the grid by round(size · spacing / target) and keeps the extent', () => {
    // (W, H, D) = (5, 3, 2) at (1, 1, 2) mm → target (0.5, 1, 1): sizes (10, 3, 4).
    const image = makeImage(new Float32Array(2 * 3 * 5), [2, 3, 5], 'DHW', scalingAffine([1, 1, 2], [-3, 4, 5]));
    const out = resampleToSpacing(image, [0.5, 1, 1], 'linear');
    expect(out.shape).toEqual([4, 3, 10]);
    // Spacing is 1·4/9 and 2·1/3: corner centres kept, so the target is met up to the size rounding.
    close(out.spacingMm, [4 / 9, 1, 2 / 3], 12);
    close(applyMat4(out.affine, [9, 2, 3]), applyMat4(image.affine, [4, 2, 1]), 12);
  });

  it('ignores the k spacing of a 2-D image', () => {
    const image = makeImage(new Uint8Array(4 * 6), [4, 6], 'HW', scalingAffine([1, 2, 5]));
    expect(resampleToSpacing(image, [2, 1, 1], 'nearest').shape).toEqual([8, 3]);
  });

  describe('bad input', () => {
    it('rejects a non-positive target spacing', () => {
      const image = makeImage(new Float32Array(8), [2, 2, 2]);
      expect(() => resampleToSpacing(image, [1, 0, 1], 'linear')).toThrow(InvalidInputError);
      expect(() => resampleToSpacing(image, [1, 0, 1], 'linear')).toThrow(/target spacing \[1, 0, 1\]/);
    });
  });
});
