import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { CATALOGUE } from '.';

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
