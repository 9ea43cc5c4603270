import { ConfigError } from '../../errors';
import { mat4FromRows } from '../../image/affine';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);
const source = mat4FromRows([
  [-1, 0, 0, 10],
  [0, -0.5, 0, 20],
  [0, 0, 3, 30],
  [0, 0, 0, 1],
]);

function context(): TransformContext {
  const model = makeImage(
    Uint8Array.from([0, 1]),
    [1, 1, 2],
    'DHW',
    mat4FromRows([
      [2, 0, 0, 1],
      [0, 2, 0, 2],
      [0, 0, 2, 3],
      [0, 0, 0, 1],
    ]),
  );
  return new TransformContext({
    images: [
      ['image', makeImage(Int16Array.from([5, 6]), [1, 1, 2], 'DHW', source)],
      ['model', model],
    ],
  });
}

describe('CopyProperties', () => {
  it('copies the affine from from_field (v3 spleen config)', async () => {
    const ctx = context();
    const args = { fields: ['model'], from_field: 'image', properties: ['affine'] };
    await registry.build({ name: 'CopyProperties', args }, 'post_transforms[2]').apply(ctx);
    expect(Array.from(ctx.getImage('model').affine)).toEqual(Array.from(source));
    expect(Array.from(ctx.getImage('model').voxels)).toEqual([0, 1]);
  });

  it('copies only the spacing, keeping the target directions and origin', async () => {
    const ctx = context();
    await registry.build({ name: 'CopyProperties', args: { fields: 'model', properties: 'spacing' } }, 'x').apply(ctx);
    expect(Array.from(ctx.getImage('model').affine)).toEqual([1, 0, 0, 1, 0, 0.5, 0, 2, 0, 0, 3, 3, 0, 0, 0, 1]);
  });

  describe('bad input', () => {
    it('names an unknown property', () => {
      const build = () =>
        registry.buildList(
          [{ name: 'CopyProperties', args: { fields: 'model', properties: ['origin'] } }],
          'post_transforms',
        );
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/post_transforms\[0\] CopyProperties: properties/);
    });
  });
});
