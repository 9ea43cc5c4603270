import { ConfigError } from '../../errors';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);

function context(): TransformContext {
  const ctx = new TransformContext({ images: [['model', makeImage(Uint8Array.from([0, 1, 2, 1, 3]), [1, 1, 5])]] });
  ctx.recordGeometry('model', {
    kind: 'channels',
    before: { spatialShape: [1, 1, 5], affine: ctx.getImage('model').affine, shapeFormat: 'DHW' },
  });
  return ctx;
}

describe('SplitBasedOnLabel', () => {
  it('splits every label present into <field>_<id> binaries that share the geometry history', async () => {
    const ctx = context();
    await registry.build({ name: 'SplitBasedOnLabel', args: { field: 'model' } }, 'post_transforms[0]').apply(ctx);
    expect(Array.from(ctx.getImage('model_1').voxels)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(ctx.getImage('model_2').voxels)).toEqual([0, 0, 1, 0, 0]);
    expect(Array.from(ctx.getImage('model_3').voxels)).toEqual([0, 0, 0, 0, 1]);
    expect(ctx.getImage('model_2').dtype).toBe('uint8');
    expect(ctx.geometryHistory('model_3').steps).toHaveLength(1);
  });

  it('names chosen labels by output_fields', async () => {
    const ctx = context();
    const args = { field: 'model', label_ids: [2], output_fields: ['spleen'] };
    await registry.build({ name: 'SplitBasedOnLabel', args }, 'x').apply(ctx);
    expect(Array.from(ctx.getImage('spleen').voxels)).toEqual([0, 0, 1, 0, 0]);
    expect(ctx.hasImage('model_1')).toBe(false);
  });

  it('splits nothing from an empty map', async () => {
    const ctx = new TransformContext({ images: [['model', makeImage(new Uint8Array(3), [1, 1, 3])]] });
    await registry.build({ name: 'SplitBasedOnLabel', args: {} }, 'x').apply(ctx);
    expect(ctx.imageNames()).toEqual(['model']);
  });

  describe('bad input', () => {
    it('refuses a map whose labels do not fit a lookup table, naming the image', async () => {
      const ctx = new TransformContext({ images: [['model', makeImage(Float32Array.from([0, 1e9]), [1, 1, 2])]] });
      await expect(registry.build({ name: 'SplitBasedOnLabel', args: {} }, 'x').apply(ctx)).rejects.toThrow(
        /image 'model' holds 1 labels up to 1000000000/,
      );
    });

    it('names output_fields given without matching label_ids', () => {
      const build = () =>
        registry.buildList([{ name: 'SplitBasedOnLabel', args: { output_fields: ['a'] } }], 'post_transforms');
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/post_transforms\[0\] SplitBasedOnLabel: output_fields/);
    });
  });
});
