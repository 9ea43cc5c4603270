import { ConfigError, InvalidInputError } from '../../errors';
import { applyMat4, mat4FromRows } from '../../image/affine';
import { cropOrPad, gridOf } from '../../image/crop';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);

// A rotated, anisotropic grid: i runs along +y (1.5 mm), j along −x (2 mm), k along +z (3 mm).
const affine = mat4FromRows([
  [0, -2, 0, 10],
  [1.5, 0, 0, -4],
  [0, 0, 3, 7],
  [0, 0, 0, 1],
]);
const dhw = [3, 4, 5];
const voxels = Int16Array.from({ length: 60 }, (_, v) => (v * 37) % 11);

/**
 * Pre-processing as a v3 config does it (channel axis, then a resample that doubles each axis under corner alignment:
 * 5 → 9, 4 → 7, 3 → 5 voxels), then a crop/pad done the way a cropping transform records it.
 */
async function preprocess(isLabel: boolean, startDhw: number[], sizeDhw: number[]): Promise<TransformContext> {
  const ctx = new TransformContext({ images: [['image', makeImage(voxels, dhw, 'DHW', affine)]] });
  const specs = [
    { name: 'ConvertToChannelsFirst', args: { fields: 'image' } },
    // Zoom = spacing / target = 1.8, 1.75, 5/3 along i, j, k.
    {
      name: 'ScaleByResolution',
      args: { fields: 'image', target_resolution: [1.5 / 1.8, 2 / 1.75, 1.8], is_label: isLabel },
    },
  ];
  for (const transform of registry.buildList(specs, 'pre_transforms')) {
    await transform.apply(ctx);
  }
  const resampled = ctx.getImage('image');
  expect(resampled.shape).toEqual([1, 5, 7, 9]);
  ctx.setImage('image', cropOrPad(resampled, startDhw, sizeDhw));
  ctx.recordGeometry('image', { kind: 'crop', before: gridOf(resampled), startDhw, sizeDhw });
  ctx.setImage('model', ctx.getImage('image'));
  return ctx;
}

describe('RestoreOriginalShape', () => {
  it('lands a label voxel for voxel on the input grid after channels + resample + pad (nearest)', async () => {
    const ctx = await preprocess(true, [-1, -1, -2], [7, 9, 13]);
    // The pre-processed affine stays true: original voxel (i, j, k) = (2, 1, 1) is resampled voxel (4, 2, 2), padded
    // to (6, 3, 3), and sits at the same point in mm.
    const processed = ctx.getImage('image');
    const moved = applyMat4(processed.affine, [6, 3, 3]);
    applyMat4(affine, [2, 1, 1]).forEach((mm, axis) => expect(moved[axis]).toBeCloseTo(mm, 12));
    expect(processed.voxels[3 * 9 * 13 + 3 * 13 + 6]).toBe(voxels[1 * 20 + 1 * 5 + 2]);
    const args = { field: 'model', src_field: 'image', is_label: true };
    await registry.build({ name: 'RestoreOriginalShape', args }, 'post_transforms[3]').apply(ctx);
    const out = ctx.getImage('model');
    expect(out.shapeFormat).toBe('DHW');
    expect(out.shape).toEqual(dhw);
    expect(Array.from(out.affine)).toEqual(Array.from(affine));
    expect(out.dtype).toBe('int16');
    expect(Array.from(out.voxels)).toEqual(Array.from(voxels));
    expect(ctx.geometryHistory('model').steps).toHaveLength(0);
  });

  it('restores an image exactly with trilinear resampling at integer corner-aligned factors', async () => {
    const ctx = await preprocess(false, [0, 0, 0], [5, 7, 9]);
    await registry
      .build({ name: 'aiaa.transforms.Restored', args: { keys: 'model', ref_image: 'image' } }, 'x')
      .apply(ctx);
    const out = ctx.getImage('model');
    expect(out.dtype).toBe('float32');
    expect(out.shape).toEqual(dhw);
    expect(Array.from(out.affine)).toEqual(Array.from(affine));
    expect(Array.from(out.voxels)).toEqual(Array.from(voxels));
  });

  it('zeroes what a crop cut away', async () => {
    // The crop keeps resampled z 1..3, y 2..4, x 3..6: original voxels with 2q inside, i.e. z = 1, y ∈ {1, 2}, x ∈ {2, 3}.
    const ctx = await preprocess(true, [1, 2, 3], [3, 3, 4]);
    await registry
      .build(
        {
          name: 'monai.apps.deepgrow.transforms.RestoreLabeld',
          args: { keys: 'model', ref_image: 'image', mode: 'nearest' },
        },
        'x',
      )
      .apply(ctx);
    const expected = Array.from(voxels, (v, i) => {
      const [z, y, x] = [Math.floor(i / 20), Math.floor(i / 5) % 4, i % 5];
      return z === 1 && (y === 1 || y === 2) && (x === 2 || x === 3) ? v : 0;
    });
    expect(Array.from(ctx.getImage('model').voxels)).toEqual(expected);
  });

  it('moves channels back last when the input was channels-last, and keeps several channels first otherwise', async () => {
    // DHWC [1, 1, 2, 2]: voxel v holds (v, 10 + v).
    const input = makeImage(Float32Array.from([0, 10, 1, 11]), [1, 1, 2, 2], 'DHWC');
    const ctx = new TransformContext({
      images: [
        ['image', input],
        ['spatial', makeImage(Float32Array.from([5, 6]), [1, 1, 2])],
      ],
    });
    await registry.build({ name: 'ConvertToChannelsFirst', args: { fields: ['image', 'spatial'] } }, 'x').apply(ctx);
    ctx.setImage('model', ctx.getImage('image'));
    await registry.build({ name: 'RestoreOriginalShape', args: { field: 'model' } }, 'x').apply(ctx);
    expect(ctx.getImage('model').shapeFormat).toBe('DHWC');
    expect(Array.from(ctx.getImage('model').voxels)).toEqual([0, 10, 1, 11]);
    // Two-channel probabilities over an input that had no channel axis cannot lose it: they stay CDHW.
    ctx.setImage('probabilities', makeImage(Float32Array.from([0.2, 0.8, 0.8, 0.2]), [2, 1, 1, 2], 'CDHW'));
    await registry
      .build({ name: 'RestoreOriginalShape', args: { field: 'probabilities', src_field: 'spatial' } }, 'x')
      .apply(ctx);
    expect(ctx.getImage('probabilities').shapeFormat).toBe('CDHW');
    expect(ctx.getImage('probabilities').shape).toEqual([2, 1, 1, 2]);
  });

  it('puts a 2-D slice back on its place in the volume (a depth-1 crop, as deepgrow 2D records it)', async () => {
    const volume = makeImage(new Int16Array(12), [3, 2, 2], 'DHW', affine);
    const ctx = new TransformContext({ images: [['image', volume]] });
    const plane = cropOrPad(volume, [1, 0, 0], [1, 2, 2]);
    ctx.setImage('image', plane.with({ shape: [2, 2], shapeFormat: 'HW' }));
    ctx.recordGeometry('image', { kind: 'crop', before: gridOf(volume), startDhw: [1, 0, 0], sizeDhw: [1, 2, 2] });
    ctx.setImage('pred', makeImage(Uint8Array.from([1, 2, 3, 4]), [2, 2], 'HW'));
    await registry.build({ name: 'RestoreLabeld', args: { keys: 'pred', ref_image: 'image' } }, 'x').apply(ctx);
    const out = ctx.getImage('pred');
    expect(out.shapeFormat).toBe('DHW');
    expect(out.shape).toEqual([3, 2, 2]);
    expect(Array.from(out.voxels)).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]);
    expect(Array.from(out.affine)).toEqual(Array.from(affine));
  });

  it('copies the reference affine when nothing was recorded', async () => {
    const ctx = new TransformContext({
      images: [
        ['image', makeImage(Int16Array.from([1, 2]), [1, 1, 2], 'DHW', affine)],
        ['model', makeImage(Uint8Array.from([0, 1]), [1, 1, 2])],
      ],
    });
    await registry.build({ name: 'RestoreOriginalShape', args: {} }, 'x').apply(ctx);
    expect(Array.from(ctx.getImage('model').affine)).toEqual(Array.from(affine));
  });

  describe('bad input', () => {
    it('names an unknown mode', () => {
      const build = () =>
        registry.buildList([{ name: 'RestoreLabeld', args: { keys: 'pred', mode: 'cubic' } }], 'post_transforms');
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/post_transforms\[0\] RestoreLabeld: mode/);
    });

    it('refuses an image that is not on the reference grid, naming both', async () => {
      const ctx = new TransformContext({
        images: [
          ['image', makeImage(Int16Array.from([1, 2]), [1, 1, 2])],
          ['model', makeImage(Uint8Array.from([0, 1, 1]), [1, 1, 3])],
        ],
      });
      const run = registry.build({ name: 'RestoreOriginalShape', args: { field: 'model' } }, 'x').apply(ctx);
      await expect(run).rejects.toThrow(InvalidInputError);
      await expect(
        registry.build({ name: 'RestoreOriginalShape', args: { field: 'model' } }, 'x').apply(ctx),
      ).rejects.toThrow(/'model' has spatial shape \[1, 1, 3\] but 'image'/);
    });
  });
});
