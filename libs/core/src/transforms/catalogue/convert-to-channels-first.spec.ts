import { ConfigError } from '../../errors';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);

describe('ConvertToChannelsFirst', () => {
  it('adds a channel axis to a DHW image without copying and records the step', async () => {
    const image = makeImage(Int16Array.from([1, 2, 3, 4]), [1, 2, 2]);
    const ctx = new TransformContext({ images: [['image', image]] });
    await registry.build({ name: 'ConvertToChannelsFirst', args: { fields: 'image' } }, 'pre_transforms[1]').apply(ctx);
    const out = ctx.getImage('image');
    expect(out.shapeFormat).toBe('CDHW');
    expect(out.shape).toEqual([1, 1, 2, 2]);
    expect(out.voxels).toBe(image.voxels);
    const steps = ctx.geometryHistory('image').steps;
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ kind: 'channels', before: { shapeFormat: 'DHW', spatialShape: [1, 2, 2] } });
  });

  it('transposes a channels-last image (AsChannelFirstd)', async () => {
    // DHWC [1, 1, 3, 2]: voxel v holds (10v, 10v + 1).
    const image = makeImage(Float32Array.from([0, 1, 10, 11, 20, 21]), [1, 1, 3, 2], 'DHWC');
    const ctx = new TransformContext({ images: [['pred', image]] });
    await registry.build({ name: 'monai.transforms.AsChannelFirstd', args: { keys: ['pred'] } }, 'x').apply(ctx);
    const out = ctx.getImage('pred');
    expect(out.shapeFormat).toBe('CDHW');
    expect(out.shape).toEqual([2, 1, 1, 3]);
    expect(Array.from(out.voxels)).toEqual([0, 10, 20, 1, 11, 21]);
  });

  it('leaves a channels-first image alone and records nothing', async () => {
    const image = makeImage(Uint8Array.from([1, 2]), [2, 1, 1, 1], 'CDHW');
    const ctx = new TransformContext({ images: [['image', image]] });
    await registry.build({ name: 'AddChanneld', args: { keys: 'image' } }, 'x').apply(ctx);
    expect(ctx.getImage('image')).toBe(image);
    expect(ctx.geometryHistory('image').steps).toHaveLength(0);
  });

  describe('bad input', () => {
    it('names the field of a bad argument', () => {
      expect(() =>
        registry.buildList([{ name: 'ConvertToChannelsFirst', args: { fields: 3 } }], 'pre_transforms'),
      ).toThrow(ConfigError);
      expect(() =>
        registry.buildList([{ name: 'ConvertToChannelsFirst', args: { fields: 3 } }], 'pre_transforms'),
      ).toThrow(/pre_transforms\[0\] ConvertToChannelsFirst: fields/);
    });

    it('refuses a batch image, naming its format', async () => {
      const ctx = new TransformContext({
        images: [['image', makeImage(Uint8Array.from([1]), [1, 1, 1, 1, 1], 'NCDHW')]],
      });
      await expect(registry.build({ name: 'ConvertToChannelsFirst', args: {} }, 'x').apply(ctx)).rejects.toThrow(
        /NCDHW/,
      );
    });
  });
});
