import { ConfigError, InvalidInputError } from '../../errors';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { addGuidanceFromPoints } from './add-guidance-from-points';
import { guidanceSpec, readGuidance } from './guidance';

const registry = new TransformRegistry([addGuidanceFromPoints]);

/** Runs AddGuidanceFromPointsd on a 6×8×10 (x, y, z = 10, 8, 6) image and reads the guidance back. */
async function guidanceOf(params: Record<string, unknown>, args: Record<string, unknown>) {
  const ctx = new TransformContext({ params, images: [['image', makeImage(new Int16Array(480), [6, 8, 10])]] });
  await registry
    .build(
      { name: 'monai.apps.deepgrow.transforms.AddGuidanceFromPointsd', args: { ref_image: 'image', ...args } },
      'pre_transforms[3]',
    )
    .apply(ctx);
  return readGuidance(ctx, guidanceSpec(ctx, 'guidance'));
}

describe('AddGuidanceFromPointsd', () => {
  it('keeps every click for 3-D guidance', async () => {
    const params = {
      foreground: [[1, 2, 3]],
      background: [
        [9, 7, 5],
        [0, 0, 0],
      ],
    };
    expect(await guidanceOf(params, { guidance: 'guidance', dimensions: 3 })).toEqual({
      foreground: [[1, 2, 3]],
      background: [
        [9, 7, 5],
        [0, 0, 0],
      ],
    });
  });

  it('keeps the clicks of the lowest clicked slice for 2-D guidance', async () => {
    const params = {
      foreground: [
        [1, 2, 4],
        [3, 3, 2],
      ],
      background: [[5, 5, 2]],
    };
    expect(await guidanceOf(params, { dimensions: 2 })).toEqual({
      foreground: [[3, 3, 2]],
      background: [[5, 5, 2]],
      slice: 2,
    });
  });

  it("follows current_point's slice, as Slicer sends it, and takes MONAI's spatial_dims", async () => {
    const params = {
      foreground: [
        [1, 2, 4],
        [3, 3, 2],
      ],
      current_point: [[1, 2, 4]],
    };
    expect(await guidanceOf(params, { spatial_dims: 2 })).toEqual({
      foreground: [[1, 2, 4]],
      background: [],
      slice: 4,
    });
  });

  it('reads the clicks of the request that runs, not of the one that built the cached context', async () => {
    const first = new TransformContext({
      params: { foreground: [[1, 1, 1]] },
      images: [['image', makeImage(new Int16Array(480), [6, 8, 10])]],
    });
    await registry.build({ name: 'AddGuidanceFromPointsd', args: { dimensions: 3 } }, 'p').apply(first);
    const next = new TransformContext({
      params: { foreground: [[2, 2, 2]] },
      images: [['image', first.getImage('image')]],
    });
    next.setProperty('guidance', structuredClone(first.getProperty('guidance')));
    expect(readGuidance(next, guidanceSpec(next, 'guidance')).foreground).toEqual([[2, 2, 2]]);
  });

  describe('bad params', () => {
    async function failure(params: Record<string, unknown>): Promise<Error> {
      return guidanceOf(params, { dimensions: 3 }).then(
        () => {
          throw new Error('expected a failure');
        },
        (error: Error) => error,
      );
    }

    it('rejects a request without clicks, naming params.foreground', async () => {
      const error = await failure({ foreground: [], background: [] });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toMatch(/^params\.foreground: deepgrow needs at least one click/);
    });

    it('rejects a click outside the input image, naming the list and index', async () => {
      const error = await failure({
        foreground: [[1, 1, 1]],
        background: [
          [0, 0, 0],
          [10, 0, 0],
        ],
      });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe(
        'params.background[1]: [10, 0, 0] lies outside the image (0 ≤ x < 10, 0 ≤ y < 8, 0 ≤ z < 6)',
      );
    });

    it('rejects 10 000 clicks, naming params.foreground', async () => {
      const error = await failure({ foreground: Array.from({ length: 10_000 }, () => [1, 1, 1]) });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe('params.foreground: 10000 points exceed the limit of 1000');
    });

    it('rejects a malformed click, naming it', async () => {
      expect((await failure({ foreground: [[1, 'a', 1]] })).message).toMatch(
        /^params\.foreground\[0\]: expected \[x, y, z\]/,
      );
    });

    it('rejects a 2-D slice that holds none of the clicks, naming the param that chose it', async () => {
      const clicks = { foreground: [[1, 1, 1]] };
      await expect(guidanceOf({ ...clicks, current_point: [2, 2, 3] }, { dimensions: 2 })).rejects.toThrow(
        'params.current_point: slice z = 3 holds none of the clicks',
      );
      await expect(guidanceOf({ ...clicks, slice: 9 }, { dimensions: 2 })).rejects.toThrow(
        'params.slice: expected a slice index in 0..5',
      );
      await expect(guidanceOf({ ...clicks, slice: 4 }, { dimensions: 2 })).rejects.toThrow(InvalidInputError);
    });

    it('rejects slicing along another axis at config load', () => {
      expect(() => registry.build({ name: 'AddGuidanceFromPointsd', args: { axis: 2 } }, 'pre_transforms[3]')).toThrow(
        ConfigError,
      );
      expect(() =>
        registry.build({ name: 'AddGuidanceFromPointsd', args: { dimensions: 4 } }, 'pre_transforms[3]'),
      ).toThrow(/^pre_transforms\[3\] AddGuidanceFromPointsd: dimensions/);
    });
  });
});
