import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, InvalidInputError } from '../../errors';
import { mat4ToRows } from '../../image/affine';
import { cropOrPad, gridOf } from '../../image/crop';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);
const fixtures = join(__dirname, '../../../test/fixtures');
const anatomical = join(fixtures, 'nibabel_anatomical.nii');
/** nibabel's view of the file: shape (i, j, k) = (33, 41, 25), LAS, affine diag(−2, 2, 2) + (32, −40, −16). */
const expected = (JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<string, NibabelFacts>)[
  'nibabel_anatomical.nii'
] as NibabelFacts;

interface NibabelFacts {
  shape: number[];
  affine: number[][];
  axcodes: string[];
  scaled_sum: number;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i] as number;
  }
  return total;
}

async function load(args: Record<string, unknown>, name = 'LoadNifti'): Promise<TransformContext> {
  const ctx = new TransformContext();
  ctx.setProperty('image_path', anatomical);
  await registry.build({ name, args }, 'pre_transforms[0]').apply(ctx);
  return ctx;
}

describe('LoadNifti', () => {
  it('reads the file named by image_path into the field, as nibabel sees it', async () => {
    const ctx = await load({ fields: 'image', as_closest_canonical: 'false' });
    const image = ctx.getImage('image');
    expect(image.shapeFormat).toBe('DHW');
    expect(image.sizeIjk).toEqual(expected.shape);
    expect(mat4ToRows(image.affine)).toEqual(expected.affine);
    expect(sum(image.voxels)).toBe(expected.scaled_sum);
    expect(ctx.geometryHistory('image').steps).toHaveLength(0);
  });

  it('uses an image the server already read instead of reading again', async () => {
    const image = makeImage(Int16Array.from([1, 2]), [1, 1, 2]);
    const ctx = new TransformContext({ images: [['image', image]] });
    await registry.build({ name: 'monai.transforms.LoadImaged', args: { keys: 'image' } }, 'x').apply(ctx);
    expect(ctx.getImage('image')).toBe(image);
  });

  it('converts to float32 when asked', async () => {
    const ctx = await load({ dtype: 'float32' });
    expect(ctx.getImage('image').dtype).toBe('float32');
    expect(sum(ctx.getImage('image').voxels)).toBe(expected.scaled_sum);
  });

  it('reorients LAS to RAS (as_closest_canonical) with a true affine and records the step', async () => {
    const original = (await load({})).getImage('image');
    const ctx = await load({ fields: 'image', as_closest_canonical: 'true' });
    const image = ctx.getImage('image');
    // nibabel: flipping i negates column 0 and moves the origin to voxel i = 32: 32 + (−2)(32) = −32.
    expect(mat4ToRows(image.affine)).toEqual([
      [2, 0, 0, -32],
      [0, 2, 0, -40],
      [0, 0, 2, -16],
      [0, 0, 0, 1],
    ]);
    const [w, h] = [33, 41];
    for (const [x, y, z] of [
      [0, 0, 0],
      [5, 17, 12],
      [32, 40, 24],
    ] as const) {
      expect(image.voxels[(z * h + y) * w + x]).toBe(original.voxels[(z * h + y) * w + (w - 1 - x)]);
    }
    expect(ctx.geometryHistory('image').steps.map((s) => s.kind)).toEqual(['reorient']);
  });

  it('restores a label through reorient, channels, resample and crop to the file grid exactly', async () => {
    const original = (await load({})).getImage('image');
    const ctx = await load({ as_closest_canonical: true });
    // Corner-aligned factor 2 per axis: 33 → 65, 41 → 81, 25 → 49 voxels.
    const pre = registry.buildList(
      [
        { name: 'ConvertToChannelsFirst', args: {} },
        { name: 'ScaleByResolution', args: { target_resolution: [66 / 65, 82 / 81, 50 / 49], is_label: true } },
      ],
      'pre_transforms',
    );
    for (const transform of pre) {
      await transform.apply(ctx);
    }
    const resampled = ctx.getImage('image');
    expect(resampled.shape).toEqual([1, 49, 81, 65]);
    const startDhw = [-2, -3, -4];
    const sizeDhw = [53, 87, 71];
    ctx.setImage('image', cropOrPad(resampled, startDhw, sizeDhw));
    ctx.recordGeometry('image', { kind: 'crop', before: gridOf(resampled), startDhw, sizeDhw });
    ctx.setImage('model', ctx.getImage('image'));
    const post = registry.build(
      { name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image', is_label: true } },
      'post_transforms[0]',
    );
    await post.apply(ctx);
    const restored = ctx.getImage('model');
    expect(restored.shapeFormat).toBe('DHW');
    expect(restored.shape).toEqual(original.shape);
    expect(Array.from(restored.affine)).toEqual(Array.from(original.affine));
    expect(restored.header).toEqual(original.header);
    expect(restored.dtype).toBe('int16');
    expect(Array.from(restored.voxels)).toEqual(Array.from(original.voxels));
  });

  describe('bad input', () => {
    it('names the missing path', async () => {
      const run = registry.build({ name: 'LoadNifti', args: { fields: 'image' } }, 'x').apply(new TransformContext());
      await expect(run).rejects.toThrow(InvalidInputError);
      await expect(registry.build({ name: 'LoadNifti', args: {} }, 'x').apply(new TransformContext())).rejects.toThrow(
        /image_path/,
      );
    });

    it('names a bad as_closest_canonical', () => {
      const build = () =>
        registry.buildList([{ name: 'LoadNifti', args: { as_closest_canonical: 'yes' } }], 'pre_transforms');
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/pre_transforms\[0\] LoadNifti: as_closest_canonical/);
    });

    it('names an unsupported dtype', () => {
      expect(() => registry.build({ name: 'LoadNifti', args: { dtype: 'int8' } }, 'pre_transforms[0]')).toThrow(
        /pre_transforms\[0\] LoadNifti: dtype/,
      );
    });
  });
});
