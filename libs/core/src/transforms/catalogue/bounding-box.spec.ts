import { scalingAffine } from '../../image/affine';
import { cropOrPad, gridOf } from '../../image/crop';
import { resampleToShape } from '../../image/resample';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { boundingBox } from './bounding-box';
import { fetchExtremePoints } from './fetch-extreme-points';

const registry = new TransformRegistry([fetchExtremePoints, boundingBox]);

/** Ones at the given [x, y, z] voxels of a label on the grid of `like`. */
function labelLike(like: ReturnType<typeof makeImage>, ones: [number, number, number][]) {
  const [w, h] = like.sizeIjk;
  const voxels = new Uint8Array(like.spatialSize);
  for (const [x, y, z] of ones) {
    voxels[(z * h + y) * w + x] = 1;
  }
  return like.with({ voxels });
}

const cross: [number, number, number][] = [
  [1, 1, 1],
  [2, 1, 1],
  [3, 1, 1],
  [2, 0, 1],
  [2, 2, 1],
  [2, 3, 1],
  [2, 1, 0],
  [2, 1, 2],
];

/** A 10³ image cropped to the box starting at (x, y, z) = (4, 3, 2) of size 5×4×3, with the crop recorded. */
function croppedContext(): TransformContext {
  const original = makeImage(new Int16Array(1000), [10, 10, 10], 'DHW', scalingAffine([2, 2, 2], [-5, 0, 5]));
  const ctx = new TransformContext({ images: [['image', original]] });
  const cropped = cropOrPad(original, [2, 3, 4], [3, 4, 5]);
  ctx.setImage('image', cropped);
  ctx.recordGeometry('image', { kind: 'crop', before: gridOf(original), startDhw: [2, 3, 4], sizeDhw: [3, 4, 5] });
  ctx.setImage('model', labelLike(cropped, cross));
  return ctx;
}

describe('BoundingBox', () => {
  it('puts the inclusive box of a mask on a cropped grid into result.bbox, in original voxels', async () => {
    const ctx = croppedContext();
    await registry.build({ name: 'BoundingBox', args: { field: 'model' } }, 'post_transforms[1]').apply(ctx);
    // cross box (1, 0, 0)..(3, 3, 2) shifted by (4, 3, 2)
    expect(ctx.result().bbox).toEqual([
      [5, 3, 2],
      [7, 6, 4],
    ]);
  });

  it('maps the box through a resample (9 voxels → 5, corner-aligned: output x = 2·input x)', async () => {
    const original = makeImage(new Float32Array(9), [1, 1, 9]);
    const ctx = new TransformContext({ images: [['image', original]] });
    const resampled = resampleToShape(original, [1, 1, 5], 'linear');
    ctx.setImage('image', resampled);
    ctx.recordGeometry('image', { kind: 'resample', before: gridOf(original) });
    ctx.setImage('pred', resampled.with({ voxels: Uint8Array.from([0, 1, 1, 1, 0]) }));
    await registry.build({ name: 'aiaa.transforms.BoundingBoxd', args: { keys: ['pred'] } }, 'p[0]').apply(ctx);
    expect(ctx.result().bbox).toEqual([
      [2, 0, 0],
      [6, 0, 0],
    ]);
  });

  it('keeps the corners ordered when the label grid is flipped against the original', async () => {
    // The label's x runs backwards: label x = 3 - original x.
    const original = makeImage(new Uint8Array(4), [1, 1, 4]);
    const flipped = scalingAffine([-1, 1, 1], [3, 0, 0]);
    const ctx = new TransformContext({ images: [['image', original]] });
    ctx.setImage('model', makeImage(Uint8Array.from([1, 1, 0, 0]), [1, 1, 4], 'DHW', flipped));
    await registry.build({ name: 'BoundingBox' }, 'post_transforms[0]').apply(ctx);
    expect(ctx.result().bbox).toEqual([
      [2, 0, 0],
      [3, 0, 0],
    ]);
  });

  it('gives an empty list for an empty mask', async () => {
    const ctx = new TransformContext({ images: [['model', makeImage(new Uint8Array(8), [2, 2, 2])]] });
    await registry.build({ name: 'BoundingBox' }, 'post_transforms[0]').apply(ctx);
    expect(ctx.result().bbox).toEqual([]);
  });
});
