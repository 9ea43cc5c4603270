import { ConfigError, InvalidInputError } from '../../errors';
import type { VoxelArray } from '../../image/dtype';
import type { ShapeFormat } from '../../image/shape-format';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { scaleIntensity } from './scale-intensity';

const registry = new TransformRegistry([scaleIntensity]);

/** Runs ScaleIntensityd on one image and returns the scaled voxels. */
async function scaled(
  voxels: VoxelArray,
  args: Record<string, unknown>,
  shape: number[] = [1, 1, voxels.length],
  format: ShapeFormat = 'DHW',
): Promise<number[]> {
  const ctx = new TransformContext({ images: [['image', makeImage(voxels, shape, format)]] });
  await registry
    .build({ name: 'monai.transforms.ScaleIntensityd', args: { keys: 'image', ...args } }, 'pre_transforms[3]')
    .apply(ctx);
  const out = ctx.getImage('image');
  expect(out.dtype).toBe('float32');
  expect(ctx.geometryHistory('image').steps).toEqual([]);
  return Array.from(out.voxels);
}

// Expected values are MONAI's rescale_array worked by hand: (v − min) / (max − min) · (maxv − minv) + minv.
describe('ScaleIntensityd', () => {
  it('scales min..max to 0..1 by default (a uint8 T1 becomes floats)', async () => {
    // min 10, max 50: (v − 10) / 40
    expect(await scaled(Uint8Array.from([10, 20, 30, 50]), {})).toEqual([0, 0.25, 0.5, 1]);
  });

  it('scales to minv..maxv', async () => {
    // min −4, max 4: (v + 4) / 8 · (2 − 1) + 1
    const out = await scaled(Int16Array.from([-4, 0, 2, 4]), { minv: 1, maxv: 2 });
    expect(out).toEqual([1, 1.5, 1.75, 2]);
  });

  it('multiplies a constant image by minv, as MONAI does', async () => {
    expect(await scaled(Float32Array.from([3, 3, 3]), { minv: 2, maxv: 5 })).toEqual([6, 6, 6]);
  });

  it('returns (v − min) / (max − min) when only one of minv and maxv is null', async () => {
    expect(await scaled(Uint8Array.from([2, 4, 6]), { minv: null, maxv: 7 })).toEqual([0, 0.5, 1]);
  });

  it('multiplies by 1 + factor when minv and maxv are both null', async () => {
    expect(await scaled(Int16Array.from([-2, 0, 4]), { minv: null, maxv: null, factor: 0.5 })).toEqual([-3, 0, 6]);
  });

  it('scales each channel by its own range with channel_wise', async () => {
    const voxels = Float32Array.from([0, 1, 2, 4, 10, 20, 30, 50]);
    // channel 0: v / 4; channel 1: (v − 10) / 40
    expect(await scaled(voxels, { channel_wise: true }, [2, 1, 1, 4], 'CDHW')).toEqual([
      0, 0.25, 0.5, 1, 0, 0.25, 0.5, 1,
    ]);
    // without it, one range over both channels: v / 50
    expect(await scaled(voxels, {}, [2, 1, 1, 4], 'CDHW')).toEqual(
      [0, 1, 2, 4, 10, 20, 30, 50].map((v) => Math.fround(v / 50)),
    );
  });

  describe('bad input', () => {
    it('requires factor when minv and maxv are null, naming it at config load', () => {
      expect(() =>
        registry.build({ name: 'ScaleIntensityd', args: { minv: null, maxv: null } }, 'pre_transforms[1]'),
      ).toThrow(
        new ConfigError('pre_transforms[1] ScaleIntensityd', 'factor: minv and maxv are null: factor is required'),
      );
    });

    it('refuses channel_wise on a channels-last image', async () => {
      await expect(scaled(Float32Array.from([1, 2]), { channel_wise: true }, [1, 1, 1, 2], 'DHWC')).rejects.toThrow(
        new InvalidInputError("ScaleIntensityd: channel_wise needs channels first, image 'image' is DHWC"),
      );
    });
  });
});
