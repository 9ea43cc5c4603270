import { ConfigError, InvalidInputError } from '../../errors';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);

describe('ToTensord', () => {
  it('leaves the image as it is', async () => {
    const image = makeImage(Float32Array.from([1, 2]), [1, 1, 2]);
    const ctx = new TransformContext({ images: [['image', image]] });
    await registry.build({ name: 'monai.transforms.ToTensord', args: { keys: 'image' } }, 'x').apply(ctx);
    expect(ctx.getImage('image')).toBe(image);
  });

  it('names a key that is not there', async () => {
    const ctx = new TransformContext({ images: [['image', makeImage(Uint8Array.from([1]), [1, 1, 1])]] });
    await expect(registry.build({ name: 'ToTensord', args: { keys: 'img' } }, 'x').apply(ctx)).rejects.toThrow(
      /no image 'img'/,
    );
  });
});

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

describe('AsChannelLastd', () => {
  it('moves channels last', async () => {
    const image = makeImage(Float32Array.from([0, 1, 2, 10, 11, 12]), [2, 1, 1, 3], 'CDHW');
    const ctx = new TransformContext({ images: [['pred', image]] });
    await registry.build({ name: 'monai.transforms.AsChannelLastd', args: { keys: 'pred' } }, 'x').apply(ctx);
    const out = ctx.getImage('pred');
    expect(out.shapeFormat).toBe('DHWC');
    expect(out.shape).toEqual([1, 1, 3, 2]);
    expect(Array.from(out.voxels)).toEqual([0, 10, 1, 11, 2, 12]);
  });
});
