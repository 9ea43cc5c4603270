import { ConfigError } from '../../errors';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);

async function run(name: string, args: Record<string, unknown>, voxels: number[], shape: number[], format = 'DHW') {
  const image = makeImage(Float64Array.from(voxels), shape, format as 'DHW');
  const ctx = new TransformContext({ images: [['image', image]] });
  await registry.build({ name, args }, 'pre_transforms[0]').apply(ctx);
  return ctx.getImage('image');
}

const round = (values: ArrayLike<number>) => Array.from(values, (v) => Math.round(v * 1e4) / 1e4);

describe('NormalizeNonzeroIntensities', () => {
  it('z-scores the nonzero voxels with the population std and keeps zeros', async () => {
    // Nonzero {1, 2, 3}: mean 2, std √(2/3) = 0.81650.
    const out = await run('NormalizeNonzeroIntensities', { fields: 'image' }, [0, 1, 2, 3], [1, 1, 4]);
    expect(out.dtype).toBe('float32');
    expect(round(out.voxels)).toEqual([0, -1.2247, 0, 1.2247]);
  });

  it('stays exact when the mean is far from zero', async () => {
    const out = await run('NormalizeNonzeroIntensities', {}, [1e6 + 1, 1e6 + 2, 1e6 + 3], [1, 1, 3]);
    expect(round(out.voxels)).toEqual([-1.2247, 0, 1.2247]);
  });

  it('measures each channel on its own and divides by 1 when a channel is constant', async () => {
    const out = await run('NormalizeNonzeroIntensities', {}, [1, 3, 10, 10], [2, 1, 1, 2], 'CDHW');
    expect(round(out.voxels)).toEqual([-1, 1, 0, 0]);
  });

  it('leaves an all-zero image at zero', async () => {
    const out = await run('NormalizeNonzeroIntensities', {}, [0, 0], [1, 1, 2]);
    expect(Array.from(out.voxels)).toEqual([0, 0]);
  });
});

describe('NormalizeIntensityd', () => {
  it('uses every voxel by default (MONAI)', async () => {
    // mean 1.5, std √1.25 = 1.11803.
    const out = await run('monai.transforms.NormalizeIntensityd', { keys: 'image' }, [0, 1, 2, 3], [1, 1, 4]);
    expect(round(out.voxels)).toEqual([-1.3416, -0.4472, 0.4472, 1.3416]);
  });

  it('honours nonzero', async () => {
    const out = await run('NormalizeIntensityd', { keys: 'image', nonzero: true }, [0, 1, 2, 3], [1, 1, 4]);
    expect(round(out.voxels)).toEqual([0, -1.2247, 0, 1.2247]);
  });

  it("takes MONAI's fixed subtrahend and divisor instead of the statistics (deepgrow 2D's (v − 208) / 388)", async () => {
    const out = await run(
      'monai.transforms.NormalizeIntensityd',
      { keys: 'image', subtrahend: 208, divisor: 388 },
      [-180, 208, 596, 1372],
      [1, 1, 4],
    );
    expect(round(out.voxels)).toEqual([-1, 0, 1, 3]);
  });

  it('takes one subtrahend and divisor per channel with channel_wise, and only the nonzero voxels with nonzero', async () => {
    const args = { keys: 'image', subtrahend: [1, 10], divisor: [2, 5], channel_wise: true, nonzero: true };
    const out = await run('NormalizeIntensityd', args, [0, 3, 20, 0], [2, 1, 1, 2], 'CDHW');
    expect(round(out.voxels)).toEqual([0, 1, 2, 0]);
  });

  describe('bad input', () => {
    it('names a flag that is not a boolean', () => {
      const build = () =>
        registry.buildList([{ name: 'NormalizeIntensityd', args: { nonzero: 'maybe' } }], 'pre_transforms');
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/pre_transforms\[0\] NormalizeIntensityd: nonzero/);
    });
  });
});
