import { scalingAffine } from '../image/affine';
import { cropOrPad, gridOf } from '../image/crop';
import { gridSizeIjk, mapPoints } from '../image/points';
import { makeImage } from '../testing';
import { originalGrid } from './geometry-history';
import { TransformContext } from './transform-context';

describe('originalGrid and mapPoints', () => {
  it('maps original voxel points into a cropped grid and back', () => {
    const image = makeImage(new Uint8Array(4 * 5 * 6), [4, 5, 6], 'DHW', scalingAffine([2, 2, 3], [5, 5, 5]));
    const ctx = new TransformContext({ images: [['image', image]] });
    const cropped = cropOrPad(image, [1, 2, 3], [2, 2, 2]);
    ctx.setImage('image', cropped);
    ctx.recordGeometry('image', { kind: 'crop', before: gridOf(image), startDhw: [1, 2, 3], sizeDhw: [2, 2, 2] });
    const original = originalGrid(ctx, 'image');
    expect(original.spatialShape).toEqual([4, 5, 6]);
    expect(gridSizeIjk(original)).toEqual([6, 5, 4]);
    // (x, y, z) = (4, 3, 2) sits at (4 − 3, 3 − 2, 2 − 1) in the crop.
    const [inCrop] = mapPoints([[4, 3, 2]], original.affine, cropped.affine);
    const [back] = mapPoints([[1, 1, 1]], cropped.affine, original.affine);
    [1, 1, 1].forEach((v, a) => expect(inCrop?.[a]).toBeCloseTo(v, 12));
    [4, 3, 2].forEach((v, a) => expect(back?.[a]).toBeCloseTo(v, 12));
  });

  it('uses the current grid when nothing was recorded', () => {
    const image = makeImage(new Uint8Array(6), [2, 3], 'HW');
    const ctx = new TransformContext({ images: [['image', image]] });
    expect(gridSizeIjk(originalGrid(ctx, 'image'))).toEqual([3, 2, 1]);
  });
});
