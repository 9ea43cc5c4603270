import { ConfigError } from '../../errors';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);
const round = (values: ArrayLike<number>) => Array.from(values, (v) => Math.round(v * 1e6) / 1e6);

describe('Activations', () => {
  it('applies a sigmoid per voxel', async () => {
    const ctx = new TransformContext({
      images: [['pred', makeImage(Float32Array.from([0, Math.log(3), -Math.log(3)]), [1, 1, 3])]],
    });
    await registry.build({ name: 'Activationsd', args: { keys: 'pred', sigmoid: true } }, 'x').apply(ctx);
    expect(round(ctx.getImage('pred').voxels)).toEqual([0.5, 0.75, 0.25]);
  });

  it('applies a softmax across channels without overflowing on large logits', async () => {
    // Voxel 0: logits (0, ln 3) → (1/4, 3/4); voxel 1: (1000, 1000) → (1/2, 1/2).
    const logits = Float32Array.from([0, 1000, Math.log(3), 1000]);
    const ctx = new TransformContext({ images: [['model', makeImage(logits, [2, 1, 1, 2], 'CDHW')]] });
    await registry
      .build({ name: 'monai.transforms.Activationsd', args: { keys: 'model', softmax: true } }, 'x')
      .apply(ctx);
    expect(round(ctx.getImage('model').voxels)).toEqual([0.25, 0.5, 0.75, 0.5]);
  });

  it('applies a softmax across three channels', async () => {
    // Voxel 0: exp = (1, 2, 5) / 8; voxel 1: equal large logits → 1/3 each.
    const logits = Float32Array.from([0, 1000, Math.log(2), 1000, Math.log(5), 1000]);
    const ctx = new TransformContext({ images: [['model', makeImage(logits, [3, 1, 1, 2], 'CDHW')]] });
    await registry.build({ name: 'Activations', args: { softmax: 'true' } }, 'x').apply(ctx);
    expect(round(ctx.getImage('model').voxels)).toEqual([0.125, 0.333333, 0.25, 0.333333, 0.625, 0.333333]);
  });

  describe('bad input', () => {
    it('refuses sigmoid and softmax together, naming softmax', () => {
      const build = () =>
        registry.buildList(
          [{ name: 'Activationsd', args: { keys: 'pred', sigmoid: true, softmax: true } }],
          'post_transforms',
        );
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/post_transforms\[0\] Activationsd: softmax/);
    });
  });
});

describe('AsDiscreted', () => {
  const probabilities = () =>
    new TransformContext({ images: [['pred', makeImage(Float32Array.from([0.2, 0.5, 0.9]), [1, 1, 3])]] });

  it('thresholds at logit_thresh (Clara v4 names), >= counting as 1', async () => {
    const ctx = probabilities();
    const args = { keys: 'pred', threshold_values: true, logit_thresh: 0.5 };
    await registry.build({ name: 'monai.transforms.AsDiscreted', args }, 'x').apply(ctx);
    expect(ctx.getImage('pred').dtype).toBe('uint8');
    expect(Array.from(ctx.getImage('pred').voxels)).toEqual([0, 1, 1]);
  });

  it('thresholds at threshold (newer MONAI name)', async () => {
    const ctx = probabilities();
    await registry.build({ name: 'AsDiscreted', args: { keys: 'pred', threshold: 0.6 } }, 'x').apply(ctx);
    expect(Array.from(ctx.getImage('pred').voxels)).toEqual([0, 0, 1]);
  });

  it('takes the argmax keeping a channel axis of 1', async () => {
    const scores = Float32Array.from([1, 5, 2, 1]);
    const ctx = new TransformContext({ images: [['pred', makeImage(scores, [2, 1, 1, 2], 'CDHW')]] });
    await registry.build({ name: 'AsDiscreted', args: { keys: 'pred', argmax: true } }, 'x').apply(ctx);
    const out = ctx.getImage('pred');
    expect(out.shape).toEqual([1, 1, 1, 2]);
    expect(out.shapeFormat).toBe('CDHW');
    expect(Array.from(out.voxels)).toEqual([1, 0]);
  });

  describe('bad input', () => {
    it('names a threshold that is not a number', () => {
      expect(() => registry.build({ name: 'AsDiscreted', args: { threshold: 'half' } }, 'post_transforms[1]')).toThrow(
        /post_transforms\[1\] AsDiscreted: threshold must be a number/,
      );
    });
  });
});
