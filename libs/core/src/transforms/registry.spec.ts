import { makeImage } from '../testing';
import { ConfigError } from '../errors';
import { CATALOGUE } from './catalogue';
import { TransformRegistry } from './registry';
import { TransformContext } from './transform-context';
import { defineTransform } from './transform';
import { z } from 'zod';

describe('TransformRegistry', () => {
  const registry = new TransformRegistry(CATALOGUE);

  it('builds a transform by its v3 name and by its MONAI alias and runs it', async () => {
    for (const name of ['ScaleIntensityRange', 'monai.transforms.ScaleIntensityRanged']) {
      const transform = registry.build(
        { name, args: { fields: 'image', a_min: -100, a_max: 100, b_min: 0, b_max: 1, clip: 'true' } },
        'pre_transforms[0]',
      );
      const ctx = new TransformContext({
        images: [['image', makeImage(Int16Array.from([-200, -100, 0, 50, 300]), [1, 1, 5])]],
      });
      await transform.apply(ctx);
      // (v + 100) / 200, clipped to [0, 1]
      expect(Array.from(ctx.getImage('image').voxels)).toEqual([0, 0, 0.5, 0.75, 1]);
      expect(ctx.getImage('image').dtype).toBe('float32');
    }
  });

  it('passes unknown names to the custom resolver with the config path', () => {
    const seen: string[] = [];
    const built = registry.build(
      { name: 'my_lib.MyTransform', args: { k: 1 } },
      'post_transforms[1]',
      (name, args, path) => {
        seen.push(`${name} ${JSON.stringify(args)} ${path}`);
        return { name, path, apply: async () => undefined };
      },
    );
    expect(built.name).toBe('my_lib.MyTransform');
    expect(seen).toEqual(['my_lib.MyTransform {"k":1} post_transforms[1]']);
  });

  describe('bad configs', () => {
    it('refuses an argument the transform does not take, naming it and the closest one', () => {
      const registry = new TransformRegistry(CATALOGUE);
      const spec = { name: 'ScaleIntensityRanged', args: { a_min: 0, a_max: 1, b_min: 0, b_max: 1, clipp: true } };
      expect(() => registry.build(spec, 'pre_transforms[1]')).toThrow(
        "pre_transforms[1].args.clipp: unknown argument of ScaleIntensityRanged; did you mean 'clip'? (its arguments: ",
      );
    });

    it('says a MONAI-style name outside the catalogue is not a known transform, with the closest names', () => {
      const registry = new TransformRegistry(CATALOGUE);
      expect(() =>
        registry.build({ name: 'monai.transforms.ScaleIntensityRangePercentilesd' }, 'pre_transforms[0]'),
      ).toThrow(
        "pre_transforms[0]: unknown transform 'monai.transforms.ScaleIntensityRangePercentilesd': not a transform of the catalogue " +
          '(closest: monai.transforms.ScaleIntensityRanged, monai.transforms.ScaleIntensityd, ' +
          'aiaa.transforms.ScaleByResolution); a plugin ' +
          'class ScaleIntensityRangePercentilesd would be in <workspace>/lib/monai/transforms.ts (or .js), which does not exist',
      );
    });

    it('names the list, index, transform and field of a bad argument', () => {
      const specs = [
        { name: 'ScaleIntensityRange', args: { a_min: 0, a_max: 1, b_min: 0, b_max: 1 } },
        { name: 'ScaleIntensityRange', args: { a_min: 0, a_max: 1, b_min: 0, b_max: 1 } },
        { name: 'ScaleIntensityRange', args: { a_min: 'low', a_max: 1, b_min: 0, b_max: 1 } },
      ];
      expect(() => registry.buildList(specs, 'pre_transforms')).toThrow(
        new ConfigError('pre_transforms[2] ScaleIntensityRange', 'a_min must be a number'),
      );
      expect(() => registry.buildList(specs, 'pre_transforms')).toThrow(
        'pre_transforms[2] ScaleIntensityRange: a_min must be a number',
      );
    });

    it('reports a missing required argument', () => {
      expect(() => registry.build({ name: 'ScaleIntensityRange', args: { a_min: 0 } }, 'pre_transforms[0]')).toThrow(
        /pre_transforms\[0\] ScaleIntensityRange: a_max is required/,
      );
    });

    it('rejects an unknown transform name at build time', () => {
      expect(() => registry.build({ name: 'NoSuchTransform' }, 'post_transforms[3]')).toThrow(
        /post_transforms\[3\]: unknown transform 'NoSuchTransform'/,
      );
    });

    it('rejects an entry that is not {name, args}', () => {
      expect(() => registry.buildList([{ args: {} }], 'pre_transforms')).toThrow(
        /pre_transforms\[0\]: .*name is required/,
      );
      expect(() => registry.buildList({}, 'pre_transforms')).toThrow(/pre_transforms: expected a list/);
    });

    it('refuses a duplicate name at registration', () => {
      const twin = defineTransform({
        name: 'Twin',
        aliases: ['ScaleIntensityRange'],
        summary: 'A twin of ScaleIntensityRange.',
        args: z.object({}),
        apply: () => undefined,
      });
      expect(() => new TransformRegistry([...CATALOGUE, twin])).toThrow(
        /'ScaleIntensityRange' of Twin is already registered/,
      );
    });
  });
});
