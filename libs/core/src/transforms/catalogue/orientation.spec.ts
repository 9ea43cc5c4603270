import { ConfigError, InvalidInputError } from '../../errors';
import { identityMat4, mat4FromRows, mat4ToRows } from '../../image/affine';
import { axisCodes } from '../../image/orientation';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { CATALOGUE } from './index';

const registry = new TransformRegistry(CATALOGUE);

// A 2×3×4 (i, j, k) image on the identity (RAS) grid whose voxel (i, j, k) holds 100k + 10j + i.
const rasVoxels = Int16Array.from({ length: 24 }, (_, v) => {
  const [i, j, k] = [v % 2, Math.floor(v / 2) % 3, Math.floor(v / 6)];
  return 100 * k + 10 * j + i;
});

async function run(ctx: TransformContext, name: string, args: Record<string, unknown>): Promise<void> {
  await registry.build({ name, args }, 'pre_transforms[2]').apply(ctx);
}

describe('Orientationd', () => {
  it('reorients RAS voxels to LIA (FreeSurfer conformed) as nibabel does, and records it', async () => {
    const ctx = new TransformContext({ images: [['image', makeImage(rasVoxels, [4, 3, 2])]] });
    await run(ctx, 'monai.transforms.Orientationd', { keys: 'image', axcodes: 'LIA' });
    const out = ctx.getImage('image');
    // New i runs Left (old i reversed), new j Inferior (old k reversed), new k Anterior (old j):
    // out(i', j', k') = in(1 − i', k', 3 − j'), so sizes (i, j, k) = (2, 4, 3), i.e. [D, H, W] = [3, 4, 2].
    expect(out.shape).toEqual([3, 4, 2]);
    expect(Array.from(out.voxels)).toEqual([
      301, 300, 201, 200, 101, 100, 1, 0, 311, 310, 211, 210, 111, 110, 11, 10, 321, 320, 221, 220, 121, 120, 21, 20,
    ]);
    expect(axisCodes(out.affine)).toEqual(['L', 'I', 'A']);
    // Voxel 0 of the result is old voxel (1, 0, 3): every voxel keeps its place in mm.
    expect(mat4ToRows(out.affine)).toEqual([
      [-1, 0, 0, 1],
      [0, 0, 1, 0],
      [0, -1, 0, 3],
      [0, 0, 0, 1],
    ]);
    expect(ctx.geometryHistory('image').steps.map((s) => s.kind)).toEqual(['reorient']);
  });

  it('is undone by RestoreOriginalShape: a label made on the LIA grid lands on the RAS input', async () => {
    const ctx = new TransformContext({ images: [['image', makeImage(rasVoxels, [4, 3, 2])]] });
    await run(ctx, 'Orientationd', { keys: 'image', axcodes: 'LIA' });
    ctx.setImage('model', ctx.getImage('image'));
    await run(ctx, 'RestoreOriginalShape', { field: 'model', src_field: 'image', is_label: true });
    const restored = ctx.getImage('model');
    expect(restored.shape).toEqual([4, 3, 2]);
    expect(Array.from(restored.voxels)).toEqual(Array.from(rasVoxels));
    expect(Array.from(restored.affine)).toEqual(Array.from(identityMat4()));
  });

  it('moves every channel with its voxels', async () => {
    const twoChannels = Int16Array.from([...rasVoxels, ...rasVoxels.map((v) => -v)]);
    const ctx = new TransformContext({ images: [['image', makeImage(twoChannels, [2, 4, 3, 2], 'CDHW')]] });
    await run(ctx, 'Orientationd', { keys: 'image', axcodes: 'LIA' });
    const out = Array.from(ctx.getImage('image').voxels);
    expect(out.slice(0, 4)).toEqual([301, 300, 201, 200]);
    expect(out.slice(24, 28)).toEqual([-301, -300, -201, -200]);
  });

  it('reorients to the closest RAS+ axes with as_closest_canonical (an LAS template)', async () => {
    const las = mat4FromRows([
      [-2, 0, 0, 90],
      [0, 2, 0, -126],
      [0, 0, 2, -72],
      [0, 0, 0, 1],
    ]);
    const ctx = new TransformContext({
      images: [['image', makeImage(Uint8Array.from([1, 2, 3]), [1, 1, 3], 'DHW', las)]],
    });
    await run(ctx, 'Orientationd', { keys: 'image', as_closest_canonical: true, axcodes: 'LIA' });
    const out = ctx.getImage('image');
    expect(Array.from(out.voxels)).toEqual([3, 2, 1]);
    expect(axisCodes(out.affine)).toEqual(['R', 'A', 'S']);
    // old voxel 2 is now voxel 0: x = −2 · 2 + 90
    expect(out.affine[3]).toBe(86);
  });

  it('does nothing, and records nothing, when the axes already run that way', async () => {
    const ctx = new TransformContext({ images: [['image', makeImage(rasVoxels, [4, 3, 2])]] });
    await run(ctx, 'Orientationd', { keys: 'image', axcodes: 'ras' });
    expect(ctx.getImage('image').voxels).toBe(rasVoxels);
    expect(ctx.geometryHistory('image').steps).toEqual([]);
  });

  describe('bad input', () => {
    it.each(['LIX', 'LLA', 'RA', 'RASL'])('refuses axcodes %s at config load, naming axcodes', (axcodes) => {
      expect(() => registry.build({ name: 'Orientationd', args: { axcodes } }, 'pre_transforms[2]')).toThrow(
        new ConfigError(
          'pre_transforms[2] Orientationd',
          'axcodes: must be three letters, one each of L/R, P/A and I/S (e.g. RAS, LIA)',
        ),
      );
    });

    it('requires axcodes', () => {
      expect(() => registry.build({ name: 'Orientationd', args: {} }, 'pre_transforms[2]')).toThrow(
        /^pre_transforms\[2\] Orientationd: axcodes: axcodes is required/,
      );
    });

    it('refuses a 2-D image, naming its format', async () => {
      const ctx = new TransformContext({ images: [['image', makeImage(Uint8Array.from([1, 2]), [1, 2], 'HW')]] });
      await expect(run(ctx, 'Orientationd', { keys: 'image', axcodes: 'LIA' })).rejects.toThrow(InvalidInputError);
      await expect(run(ctx, 'Orientationd', { keys: 'image', axcodes: 'LIA' })).rejects.toThrow(/cannot reorient a HW/);
    });
  });
});
