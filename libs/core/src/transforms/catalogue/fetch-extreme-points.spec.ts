import { ConfigError, InvalidInputError } from '../../errors';
import { scalingAffine } from '../../image/affine';
import { cropOrPad, gridOf } from '../../image/crop';
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

describe('FetchExtremePoints', () => {
  it('puts the six extreme points of a mask on a cropped grid into result.points, in original voxels', async () => {
    const ctx = croppedContext();
    const step = registry.build(
      { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
      'post_transforms[1]',
    );
    await step.apply(ctx);
    // the cross's extreme points shifted by the crop start (4, 3, 2)
    expect(ctx.result().points).toEqual([
      [5, 4, 3],
      [7, 4, 3],
      [6, 3, 3],
      [6, 6, 3],
      [6, 4, 2],
      [6, 4, 4],
    ]);
  });

  it('runs under its v4 name with keys and a result property', async () => {
    const ctx = new TransformContext({ images: [['pred', makeImage(Uint8Array.from([0, 1, 1, 0]), [1, 1, 4])]] });
    await registry
      .build({ name: 'aiaa.transforms.ExtremePointsd', args: { keys: 'pred', result: 'out' } }, 'post_transforms[0]')
      .apply(ctx);
    // y and z faces hold both voxels (1, 0, 0) and (2, 0, 0): the middle one in file order is the second
    expect(ctx.result('out').points).toEqual([
      [1, 0, 0],
      [2, 0, 0],
      [2, 0, 0],
      [2, 0, 0],
      [2, 0, 0],
      [2, 0, 0],
    ]);
  });

  it('gives an empty list for an empty mask', async () => {
    const ctx = new TransformContext({ images: [['model', makeImage(new Uint8Array(8), [2, 2, 2])]] });
    await registry.build({ name: 'FetchExtremePoints' }, 'post_transforms[0]').apply(ctx);
    expect(ctx.result().points).toEqual([]);
  });

  describe('bad input', () => {
    it('names the missing label field', async () => {
      const ctx = new TransformContext({ images: [['image', makeImage(new Uint8Array(1), [1, 1, 1])]] });
      const step = registry.build({ name: 'FetchExtremePoints', args: { label_field: 'seg' } }, 'post_transforms[0]');
      await expect(step.apply(ctx)).rejects.toThrow(InvalidInputError);
      await expect(step.apply(ctx)).rejects.toThrow(/no image 'seg'/);
    });

    it('rejects a points name that is not a string, naming the field', () => {
      expect(() => registry.build({ name: 'FetchExtremePoints', args: { points: 3 } }, 'post_transforms[2]')).toThrow(
        new ConfigError('post_transforms[2] FetchExtremePoints', 'points must be a string'),
      );
    });
  });
});
