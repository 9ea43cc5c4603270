import { InvalidInputError } from '../../errors';
import { scalingAffine } from '../../image/affine';
import type { MedicalImage } from '../../image/medical-image';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { CATALOGUE } from './index';

const registry = new TransformRegistry(CATALOGUE);

async function cropped(image: MedicalImage, roiSize: number | number[]): Promise<TransformContext> {
  const ctx = new TransformContext({ images: [['image', image]] });
  await registry
    .build(
      { name: 'monai.transforms.CenterSpatialCropd', args: { keys: 'image', roi_size: roiSize } },
      'pre_transforms[1]',
    )
    .apply(ctx);
  return ctx;
}

/** Voxels 0, 1, …, n − 1 along W (i) at 1 mm. */
const ramp = (n: number): MedicalImage =>
  makeImage(
    Uint8Array.from({ length: n }, (_, v) => v),
    [1, 1, n],
  );

// MONAI's CenterSpatialCrop: centre n // 2, start max(centre − roi // 2, 0), end clipped to the image.
describe('CenterSpatialCropd', () => {
  it("crops MONAI's test array [[0 0 0 0 0] [0 1 2 1 0] [0 2 3 2 0] …] to [[1 2] [2 3]] with roi [2, 2]", async () => {
    const plane = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 2, 3, 2, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0]);
    const out = (await cropped(makeImage(plane, [1, 5, 5], 'CHW'), [2, 2])).getImage('image');
    expect(out.shape).toEqual([1, 2, 2]);
    expect(Array.from(out.voxels)).toEqual([1, 2, 2, 3]);
  });

  it('starts at n // 2 − roi // 2 for odd and even sizes, and moves the origin there', async () => {
    // 7 voxels, roi 4: centre 3, start 1
    const odd = (await cropped(ramp(7), [1, 1, 4])).getImage('image');
    expect(Array.from(odd.voxels)).toEqual([1, 2, 3, 4]);
    expect(odd.affine[3]).toBe(1);
    // 8 voxels, roi 5: centre 4, start 2
    expect(Array.from((await cropped(ramp(8), [1, 1, 5])).getImage('image').voxels)).toEqual([2, 3, 4, 5, 6]);
  });

  it("keeps axes shorter than the roi or given as −1 (MONAI's example: [40, 40, 40] with [32, 64, −1] is [32, 40, 40])", async () => {
    const cube = makeImage(new Uint8Array(40 * 40 * 40), [40, 40, 40]);
    expect((await cropped(cube, [32, 64, -1])).getImage('image').shape).toEqual([32, 40, 40]);
  });

  it('is undone by RestoreOriginalShape: the cut-away voxels come back as 0', async () => {
    const image = makeImage(Uint8Array.from([1, 2, 3, 4, 5]), [1, 1, 5], 'DHW', scalingAffine([2, 2, 2], [5, 0, 0]));
    const ctx = await cropped(image, 3);
    expect(ctx.geometryHistory('image').steps).toMatchObject([
      { kind: 'crop', startDhw: [0, 0, 1], sizeDhw: [1, 1, 3] },
    ]);
    ctx.setImage('model', ctx.getImage('image'));
    await registry
      .build({ name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image' } }, 'post_transforms[0]')
      .apply(ctx);
    const restored = ctx.getImage('model');
    expect(Array.from(restored.voxels)).toEqual([0, 2, 3, 4, 0]);
    expect(Array.from(restored.affine)).toEqual(Array.from(image.affine));
  });

  describe('bad input', () => {
    it('names a roi_size of another rank than the image', async () => {
      await expect(cropped(ramp(4), [2, 2])).rejects.toThrow(
        new InvalidInputError(
          "CenterSpatialCropd: roi_size [2,2] does not fit image 'image' of spatial shape [1, 1, 4]",
        ),
      );
    });

    it('requires roi_size at config load', () => {
      expect(() => registry.build({ name: 'CenterSpatialCropd', args: {} }, 'pre_transforms[1]')).toThrow(
        /^pre_transforms\[1\] CenterSpatialCropd: roi_size/,
      );
    });
  });
});
