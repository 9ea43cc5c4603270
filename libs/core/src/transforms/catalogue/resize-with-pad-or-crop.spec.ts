import { InvalidInputError } from '../../errors';
import type { MedicalImage } from '../../image/medical-image';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { CATALOGUE } from './index';

const registry = new TransformRegistry(CATALOGUE);

async function resized(image: MedicalImage, args: Record<string, unknown>): Promise<TransformContext> {
  const ctx = new TransformContext({ images: [['image', image]] });
  await registry
    .build({ name: 'monai.transforms.ResizeWithPadOrCropd', args: { keys: 'image', ...args } }, 'pre_transforms[5]')
    .apply(ctx);
  return ctx;
}

async function restore(ctx: TransformContext): Promise<MedicalImage> {
  ctx.setImage('model', ctx.getImage('image'));
  await registry
    .build({ name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image' } }, 'post_transforms[2]')
    .apply(ctx);
  return ctx.getImage('model');
}

// MONAI's ResizeWithPadOrCrop is padder(cropper(img)): a centre crop of the longer axes, then a symmetric pad.
describe('ResizeWithPadOrCropd', () => {
  it('crops a longer axis around its centre and pads a shorter one, in one recorded step', async () => {
    // H: 5 rows cropped to 3 (centre 2, start 1); W: 2 columns padded to 4 (1 before, 1 after)
    const plane = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const ctx = await resized(makeImage(plane, [1, 5, 2]), { spatial_size: [1, 3, 4] });
    const out = ctx.getImage('image');
    expect(out.shape).toEqual([1, 3, 4]);
    expect(Array.from(out.voxels)).toEqual([0, 3, 4, 0, 0, 5, 6, 0, 0, 7, 8, 0]);
    // voxel 0 is old voxel (i, j) = (−1, 1)
    expect(Array.from(out.affine.subarray(0, 8))).toEqual([1, 0, 0, -1, 0, 1, 0, 1]);
    expect(ctx.geometryHistory('image').steps).toMatchObject([
      { kind: 'crop', startDhw: [0, 1, -1], sizeDhw: [1, 3, 4] },
    ]);
    const restored = await restore(ctx);
    expect(Array.from(restored.voxels)).toEqual([0, 0, 3, 4, 5, 6, 7, 8, 0, 0]);
  });

  it("gives MONAI's test shapes: (3, 8, 8, 4) to [15, 8, 8], [15, 4, 8] and [15, 4, −1]", async () => {
    const image = makeImage(new Float32Array(3 * 8 * 8 * 4), [3, 8, 8, 4], 'CDHW');
    for (const [size, shape] of [
      [
        [15, 8, 8],
        [3, 15, 8, 8],
      ],
      [
        [15, 4, 8],
        [3, 15, 4, 8],
      ],
      [
        [15, 4, -1],
        [3, 15, 4, 4],
      ],
    ]) {
      expect((await resized(image, { spatial_size: size })).getImage('image').shape).toEqual(shape);
    }
  });

  it('pads at the end with method end', async () => {
    const out = (
      await resized(makeImage(Uint8Array.from([1, 2]), [1, 1, 2]), { spatial_size: [1, 1, 5], method: 'end' })
    ).getImage('image');
    expect(Array.from(out.voxels)).toEqual([1, 2, 0, 0, 0]);
  });

  it('does nothing, and records nothing, when the image has the size already', async () => {
    const image = makeImage(Uint8Array.from([1, 2]), [1, 1, 2]);
    const ctx = await resized(image, { spatial_size: [1, 1, 2] });
    expect(ctx.getImage('image')).toBe(image);
    expect(ctx.geometryHistory('image').steps).toEqual([]);
  });

  it('names a spatial_size of another rank than the image', async () => {
    await expect(resized(makeImage(Uint8Array.from([1]), [1, 1, 1]), { spatial_size: [2, 2] })).rejects.toThrow(
      new InvalidInputError(
        "ResizeWithPadOrCropd: spatial_size [2,2] does not fit image 'image' of spatial shape [1, 1, 1]",
      ),
    );
  });
});
