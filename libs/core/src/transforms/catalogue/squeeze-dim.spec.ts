import { ConfigError, InvalidInputError } from '../../errors';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { CATALOGUE } from '.';

const registry = new TransformRegistry(CATALOGUE);

describe('SqueezeDimd', () => {
  it('drops a channel axis of 1 without copying', async () => {
    const image = makeImage(Uint8Array.from([0, 1, 1]), [1, 1, 1, 3], 'CDHW');
    const ctx = new TransformContext({ images: [['pred', image]] });
    await registry.build({ name: 'monai.transforms.SqueezeDimd', args: { keys: 'pred', dim: 0 } }, 'x').apply(ctx);
    expect(ctx.getImage('pred').shapeFormat).toBe('DHW');
    expect(ctx.getImage('pred').shape).toEqual([1, 1, 3]);
    expect(ctx.getImage('pred').voxels).toBe(image.voxels);
  });

  describe('bad input', () => {
    it('refuses to squeeze a spatial axis, naming it', async () => {
      const ctx = new TransformContext({ images: [['pred', makeImage(Uint8Array.from([1, 2]), [1, 1, 2])]] });
      const run = registry.build({ name: 'SqueezeDimd', args: { keys: 'pred' } }, 'x').apply(ctx);
      await expect(run).rejects.toThrow(InvalidInputError);
      await expect(registry.build({ name: 'SqueezeDimd', args: { keys: 'pred' } }, 'x').apply(ctx)).rejects.toThrow(
        /spatial axis D/,
      );
    });

    it('names a negative dim', () => {
      const build = () => registry.buildList([{ name: 'SqueezeDimd', args: { dim: -1 } }], 'post_transforms');
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/post_transforms\[0\] SqueezeDimd: dim/);
    });
  });
});
