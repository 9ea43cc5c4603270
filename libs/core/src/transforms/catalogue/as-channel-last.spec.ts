import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { CATALOGUE } from '.';

const registry = new TransformRegistry(CATALOGUE);

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
