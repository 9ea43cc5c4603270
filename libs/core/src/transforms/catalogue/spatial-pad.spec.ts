import { ConfigError, InvalidInputError } from '../../errors';
import { scalingAffine } from '../../image/affine';
import type { MedicalImage } from '../../image/medical-image';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { CATALOGUE } from './index';

const registry = new TransformRegistry(CATALOGUE);

/** A row of voxels 1, 2, 3 along W (i) at 2 mm. */
const row = (): MedicalImage => makeImage(Uint8Array.from([1, 2, 3]), [1, 1, 3], 'DHW', scalingAffine([2, 1, 1]));

async function padded(image: MedicalImage, args: Record<string, unknown>): Promise<TransformContext> {
  const ctx = new TransformContext({ images: [['image', image]] });
  await registry
    .build({ name: 'monai.transforms.SpatialPadd', args: { keys: 'image', ...args } }, 'pre_transforms[4]')
    .apply(ctx);
  return ctx;
}

// MONAI's SpatialPad: width = max(size − n, 0), `width // 2` before and the rest after (symmetric), or all after (end).
describe('SpatialPadd', () => {
  it('pads symmetrically, the odd voxel at the end, and moves the origin to the first padded voxel', async () => {
    const ctx = await padded(row(), { spatial_size: [1, 1, 6] });
    const out = ctx.getImage('image');
    expect(Array.from(out.voxels)).toEqual([0, 1, 2, 3, 0, 0]);
    // one voxel before: the origin moves −2 mm along x
    expect(out.affine[3]).toBe(-2);
    expect(out.dtype).toBe('uint8');
    expect(ctx.geometryHistory('image').steps).toMatchObject([
      { kind: 'crop', startDhw: [0, 0, -1], sizeDhw: [1, 1, 6], before: { spatialShape: [1, 1, 3] } },
    ]);
  });

  it('pads after the image with method end, with the given value', async () => {
    const out = (await padded(row(), { spatial_size: [1, 1, 5], method: 'end', value: 9 })).getImage('image');
    expect(Array.from(out.voxels)).toEqual([1, 2, 3, 9, 9]);
    expect(out.affine[3]).toBe(0);
  });

  it("keeps axes that are long enough or given as −1 (MONAI's example: [30, 30, 30] to [32, 25, −1] is [32, 30, 30])", async () => {
    const cube = makeImage(new Float32Array(30 * 30 * 30), [30, 30, 30]);
    expect((await padded(cube, { spatial_size: [32, 25, -1] })).getImage('image').shape).toEqual([32, 30, 30]);
  });

  it('applies one number to every axis, and pads each channel alike', async () => {
    const twoChannels = makeImage(Int16Array.from([5, -5]), [2, 1, 1, 1], 'CDHW');
    const out = (await padded(twoChannels, { spatial_size: 3 })).getImage('image');
    expect(out.shape).toEqual([2, 3, 3, 3]);
    // the voxel sits at (1, 1, 1) of each 3×3×3 channel
    expect(out.voxels[13]).toBe(5);
    expect(out.voxels[27 + 13]).toBe(-5);
    expect(Array.from(out.voxels).filter((v) => v !== 0)).toEqual([5, -5]);
  });

  it('is undone by RestoreOriginalShape', async () => {
    const ctx = await padded(row(), { spatial_size: [3, 2, 6] });
    ctx.setImage('model', ctx.getImage('image'));
    await registry
      .build({ name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image' } }, 'post_transforms[0]')
      .apply(ctx);
    const restored = ctx.getImage('model');
    expect(restored.shape).toEqual([1, 1, 3]);
    expect(Array.from(restored.voxels)).toEqual([1, 2, 3]);
    expect(Array.from(restored.affine)).toEqual(Array.from(scalingAffine([2, 1, 1])));
  });

  it('does nothing, and records nothing, when the image is already as large', async () => {
    const ctx = await padded(row(), { spatial_size: [1, 1, 2] });
    expect(Array.from(ctx.getImage('image').voxels)).toEqual([1, 2, 3]);
    expect(ctx.geometryHistory('image').steps).toEqual([]);
  });

  describe('bad input', () => {
    it('refuses a padding mode other than constant at config load, naming mode', () => {
      expect(() =>
        registry.build({ name: 'SpatialPadd', args: { spatial_size: 4, mode: 'reflect' } }, 'pre_transforms[4]'),
      ).toThrow(/^pre_transforms\[4\] SpatialPadd: mode: /);
      expect(() => registry.build({ name: 'SpatialPadd', args: {} }, 'pre_transforms[4]')).toThrow(ConfigError);
    });

    it('names a spatial_size of another rank than the image', async () => {
      await expect(padded(row(), { spatial_size: [4, 4] })).rejects.toThrow(
        new InvalidInputError("SpatialPadd: spatial_size [4,4] does not fit image 'image' of spatial shape [1, 1, 3]"),
      );
    });
  });
});
