import { ConfigError } from '../../errors';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);

// Three channels over four voxels; expected argmax [1, 2, 0, 0] (voxel 2 all equal, voxel 3 ties 0 and 1 → first).
const c0 = [1, 5, 0, 2];
const c1 = [2, 1, 0, 2];
const c2 = [0, 9, 0, 1];

describe('ArgmaxAcrossChannels', () => {
  it('turns channels-first scores into a DHW uint8 label map', async () => {
    const model = makeImage(Float32Array.from([...c0, ...c1, ...c2]), [3, 1, 2, 2], 'CDHW');
    const ctx = new TransformContext({ images: [['model', model]] });
    await registry.build({ name: 'ArgmaxAcrossChannels', args: { fields: 'model' } }, 'post_transforms[0]').apply(ctx);
    const out = ctx.getImage('model');
    expect(out.shapeFormat).toBe('DHW');
    expect(out.shape).toEqual([1, 2, 2]);
    expect(out.dtype).toBe('uint8');
    expect(Array.from(out.voxels)).toEqual([1, 2, 0, 0]);
    expect(out.affine).toBe(model.affine);
  });

  it('reads channels-last scores too', async () => {
    const interleaved = c0.flatMap((v, i) => [v, c1[i] as number, c2[i] as number]);
    const model = makeImage(Float32Array.from(interleaved), [1, 2, 2, 3], 'DHWC');
    const ctx = new TransformContext({ images: [['model', model]] });
    await registry.build({ name: 'ArgmaxAcrossChannels', args: {} }, 'post_transforms[0]').apply(ctx);
    expect(Array.from(ctx.getImage('model').voxels)).toEqual([1, 2, 0, 0]);
  });

  describe('bad input', () => {
    it('names the field of a bad argument', () => {
      const build = () =>
        registry.buildList([{ name: 'ArgmaxAcrossChannels', args: { fields: [] } }], 'post_transforms');
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/post_transforms\[0\] ArgmaxAcrossChannels: fields/);
    });

    it('refuses a batch of images', async () => {
      const ctx = new TransformContext({
        images: [['model', makeImage(Float32Array.from([1, 2]), [1, 2, 1, 1, 1], 'NCDHW')]],
      });
      await expect(registry.build({ name: 'ArgmaxAcrossChannels', args: {} }, 'x').apply(ctx)).rejects.toThrow(/NCDHW/);
    });
  });
});
