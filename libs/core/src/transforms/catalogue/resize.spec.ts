import { ConfigError, InvalidInputError } from '../../errors';
import { scalingAffine } from '../../image/affine';
import type { MedicalImage } from '../../image/medical-image';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { resize } from './resize';

const registry = new TransformRegistry([resize]);

async function resized(
  args: Record<string, unknown>,
  image: MedicalImage = makeImage(Float32Array.from([0, 2, 4, 6, 8]), [1, 1, 5], 'CHW', scalingAffine([1, 2, 1])),
) {
  const ctx = new TransformContext({ images: [['image', image]] });
  await registry
    .build({ name: 'monai.transforms.Resized', args: { keys: 'image', ...args } }, 'pre_transforms[7]')
    .apply(ctx);
  return ctx;
}

describe('Resized', () => {
  it('resamples each channel to spatial_size with the corner voxels kept, and records it', async () => {
    // 1×5 → 1×3: output x reads input 2x; values 0, 4, 8; spacing x 1 · (5 - 1) / (3 - 1) = 2 mm
    const ctx = await resized({ spatial_size: [1, 3], mode: 'area' });
    const out = ctx.getImage('image');
    expect(out.shape).toEqual([1, 1, 3]);
    expect(Array.from(out.voxels)).toEqual([0, 4, 8]);
    expect(out.spacingMm).toEqual([2, 2, 1]);
    expect(ctx.geometryHistory('image').steps.map((s) => [s.kind, s.before.spatialShape])).toEqual([
      ['resample', [1, 5]],
    ]);
  });

  it('keeps axes given as -1 and labels with nearest', async () => {
    const label = makeImage(Uint8Array.from([0, 0, 1, 1]), [1, 4], 'HW');
    const ctx = await resized({ spatial_size: [-1, 7], mode: 'nearest' }, label);
    // output x reads round(x · 3 / 6) (half up): 0, 1, 1, 2, 2, 3, 3 → 0 0 0 1 1 1 1
    expect(Array.from(ctx.getImage('image').voxels)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(ctx.getImage('image').dtype).toBe('uint8');
  });

  it('scales the longest axis to spatial_size with size_mode longest', async () => {
    const ctx = await resized(
      { spatial_size: 9, size_mode: 'longest' },
      makeImage(new Float32Array(6 * 3), [6, 3], 'HW'),
    );
    expect(ctx.getImage('image').shape).toEqual([9, 5]);
  });

  it('does nothing, and records nothing, when the size already fits', async () => {
    const ctx = await resized({ spatial_size: [1, 5] });
    expect(ctx.geometryHistory('image').steps).toEqual([]);
  });

  describe('bad input', () => {
    it('names a spatial_size of the wrong rank', async () => {
      await expect(resized({ spatial_size: [4, 4, 4] })).rejects.toThrow(InvalidInputError);
      await expect(resized({ spatial_size: [4, 4, 4] })).rejects.toThrow(
        /spatial_size \[4,4,4\] does not fit image 'image'/,
      );
    });

    it('rejects an unknown mode at config load, naming mode', () => {
      expect(() =>
        registry.build({ name: 'Resized', args: { keys: 'image', spatial_size: [2, 2], mode: 'cubic' } }, 'pre[7]'),
      ).toThrow(ConfigError);
      expect(() =>
        registry.build({ name: 'Resized', args: { keys: 'image', spatial_size: [2, 2], mode: 'cubic' } }, 'pre[7]'),
      ).toThrow(/^pre\[7\] Resized: mode/);
    });
  });
});
