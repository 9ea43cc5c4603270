import { InvalidInputError } from '../errors';
import { makeImage } from '../testing';
import { labelExtent } from './label-extent';

/** A D×H×W uint8 label with ones at the given [x, y, z] voxels. */
function label(dhw: [number, number, number], ones: [number, number, number][]) {
  const [d, h, w] = dhw;
  const voxels = new Uint8Array(d * h * w);
  for (const [x, y, z] of ones) {
    voxels[(z * h + y) * w + x] = 1;
  }
  return makeImage(voxels, dhw, 'DHW');
}

describe('labelExtent', () => {
  it('finds the box and the six extreme points of a 3-D cross', () => {
    const cross = label(
      [3, 4, 5],
      [
        [1, 1, 1],
        [2, 1, 1],
        [3, 1, 1],
        [2, 0, 1],
        [2, 2, 1],
        [2, 3, 1],
        [2, 1, 0],
        [2, 1, 2],
      ],
    );
    expect(labelExtent(cross)).toEqual({
      min: [1, 0, 0],
      max: [3, 3, 2],
      extremePoints: [
        [1, 1, 1],
        [3, 1, 1],
        [2, 0, 1],
        [2, 3, 1],
        [2, 1, 0],
        [2, 1, 2],
      ],
    });
  });

  it('picks the middle voxel of a face shared by several, and gives four points in 2-D', () => {
    const row = makeImage(Uint8Array.from([1, 1, 1, 0, 0, 0]), [2, 3], 'HW');
    expect(labelExtent(row)).toEqual({
      min: [0, 0, 0],
      max: [2, 0, 0],
      extremePoints: [
        [0, 0, 0],
        [2, 0, 0],
        [1, 0, 0],
        [1, 0, 0],
      ],
    });
  });

  it('counts any non-zero value, negative or fractional, as foreground', () => {
    const values = makeImage(Float32Array.from([0, -0.5, 0, 0]), [1, 1, 4], 'DHW');
    expect(labelExtent(values)?.min).toEqual([1, 0, 0]);
  });

  it('reads a single-channel CDHW label like a DHW one', () => {
    const cdhw = makeImage(Uint8Array.from([0, 0, 0, 7]), [1, 1, 2, 2], 'CDHW');
    expect(labelExtent(cdhw)?.max).toEqual([1, 1, 0]);
  });

  it('gives undefined for an empty label', () => {
    expect(labelExtent(label([2, 2, 2], []))).toBeUndefined();
  });

  describe('bad labels', () => {
    it('rejects a two-channel label, naming the format', () => {
      const twoChannels = makeImage(new Uint8Array(8), [2, 1, 2, 2], 'CDHW');
      expect(() => labelExtent(twoChannels)).toThrow(InvalidInputError);
      expect(() => labelExtent(twoChannels)).toThrow(/single-channel label, got CDHW \[2, 1, 2, 2\]/);
    });
  });
});
