import { ConfigError } from '../../errors';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);

async function run(name: string, args: Record<string, unknown>, voxels: number[], shape: number[], format = 'DHW') {
  const ctx = new TransformContext({ images: [['model', makeImage(Uint8Array.from(voxels), shape, format as 'DHW')]] });
  await registry.build({ name, args }, 'post_transforms[0]').apply(ctx);
  return ctx.getImage('model');
}

// Label 1: components of 2 and 1 voxels; label 2: components of 1 and 2 voxels.
const twoLabels = [1, 1, 0, 1, 0, 0, 0, 0, 2, 0, 2, 2];

describe('KeepLargestCC', () => {
  it('keeps the largest component of each label', async () => {
    const out = await run('KeepLargestCC', { fields: 'model' }, twoLabels, [1, 3, 4]);
    expect(out.dtype).toBe('uint8');
    expect(Array.from(out.voxels)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2]);
  });

  it('leaves labels outside applied_labels alone', async () => {
    const out = await run('aiaa.transforms.LargestCCd', { keys: 'model', applied_labels: [1] }, twoLabels, [1, 3, 4]);
    expect(Array.from(out.voxels)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 2, 0, 2, 2]);
  });

  it('joins diagonal neighbours by default and splits them at connectivity 1 (faces only)', async () => {
    const diagonal = [1, 0, 0, 0, 1, 1, 0, 0, 0];
    expect(Array.from((await run('KeepLargestCC', {}, diagonal, [1, 3, 3])).voxels)).toEqual(diagonal);
    const faces = await run(
      'monai.transforms.KeepLargestConnectedComponentd',
      { connectivity: 1 },
      diagonal,
      [1, 3, 3],
    );
    expect(Array.from(faces.voxels)).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0]);
  });

  it('cleans each channel of a channels-first image on its own', async () => {
    const out = await run('KeepLargestCC', {}, [1, 0, 1, 1, 1, 1, 0, 1], [2, 1, 1, 4], 'CDHW');
    expect(Array.from(out.voxels)).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
  });

  describe('bad input', () => {
    it('names an unsupported connectivity', () => {
      const build = () => registry.buildList([{ name: 'KeepLargestCC', args: { connectivity: 4 } }], 'post_transforms');
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/post_transforms\[0\] KeepLargestCC: connectivity/);
    });
  });
});
