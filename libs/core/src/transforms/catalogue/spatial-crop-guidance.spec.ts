import { ConfigError, InvalidInputError } from '../../errors';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { addGuidanceFromPoints } from './add-guidance-from-points';
import { spatialCropGuidance } from './spatial-crop-guidance';

const registry = new TransformRegistry([addGuidanceFromPoints, spatialCropGuidance]);

/** Crops a 4×20×30 (z, y, x = 4, 20, 30) image around the clicks; returns the recorded [start, size]. */
async function cropBox(params: Record<string, unknown>, args: Record<string, unknown>, label = false) {
  const images: [string, ReturnType<typeof makeImage>][] = [['image', makeImage(new Float32Array(2400), [4, 20, 30])]];
  if (label) {
    images.push(['label', makeImage(new Uint8Array(2400), [4, 20, 30])]);
  }
  const ctx = new TransformContext({ params, images });
  await registry.build({ name: 'AddGuidanceFromPointsd', args: { dimensions: 3 } }, 'pre[0]').apply(ctx);
  await registry.build({ name: 'SpatialCropGuidanced', args }, 'pre[1]').apply(ctx);
  const step = ctx.geometryHistory('image').steps[0];
  if (step?.kind !== 'crop') {
    throw new Error('expected a crop');
  }
  expect(ctx.getImage('image').spatialShape).toEqual(step.sizeDhw);
  return { box: [step.startDhw, step.sizeDhw], ctx };
}

const clicks = { foreground: [[10, 8, 1]], background: [[14, 12, 2]] };

describe('SpatialCropGuidanced', () => {
  // With margin 2 the clicks' box is z [0, 4) (kept inside the image), y [6, 15), x [8, 17): 4×9×9.
  it('cuts the clicks box plus margin when it is not smaller than spatial_size on every axis', async () => {
    const { box } = await cropBox(clicks, { keys: 'image', spatial_size: [4, 8, 8], margin: 2 });
    expect(box).toEqual([
      [0, 6, 8],
      [4, 9, 9],
    ]);
  });

  it('cuts spatial_size around the centre of a smaller box, clipped to the image', async () => {
    // centres z 2, y 10, x 12: z [max(0, 2 - 3), …) = [0, 6) clipped to [0, 4); y [2, 18); x [4, 20)
    const { box } = await cropBox(clicks, { keys: 'image', spatial_size: [6, 16, 16], margin: 2 });
    expect(box).toEqual([
      [0, 2, 4],
      [4, 16, 16],
    ]);
  });

  it("keeps every slice for a 2-entry spatial_size, and the request's spatial_size wins", async () => {
    // [16, 16] on a 3-D image means [4, 16, 16]: the box is not thinner than 4 slices, so the box is cut
    const { box } = await cropBox(clicks, { keys: 'image', spatial_size: [16, 16], margin: 2 });
    expect(box).toEqual([
      [0, 6, 8],
      [4, 9, 9],
    ]);
    const { box: fromRequest } = await cropBox(
      { ...clicks, spatial_size: [5, 10, 12] },
      { keys: 'image', spatial_size: [16, 16], margin: 2 },
    );
    // all smaller than [5, 10, 12]: z [0, 5) clipped to 4, y 10 - 5 = 5, x 12 - 6 = 6
    expect(fromRequest).toEqual([
      [0, 5, 6],
      [4, 10, 12],
    ]);
  });

  it('moves the box off the low border and clips it at the high one', async () => {
    const { box } = await cropBox({ foreground: [[1, 18, 1]] }, { keys: 'image', spatial_size: [4, 8, 8], margin: 1 });
    // z [0, 3) centre 1 → [0, 4); y [17, 20) centre 18 → [14, 22) clipped to [14, 20); x [0, 3) centre 1 → [0, 8)
    expect(box).toEqual([
      [0, 14, 0],
      [4, 6, 8],
    ]);
  });

  it('cuts every key the same way and records each', async () => {
    const { ctx } = await cropBox(clicks, { keys: ['image', 'label'], spatial_size: [4, 8, 8], margin: 2 }, true);
    expect(ctx.getImage('label').spatialShape).toEqual([4, 9, 9]);
    expect(ctx.geometryHistory('label').steps).toHaveLength(1);
  });

  describe('bad input', () => {
    it('rejects a request spatial_size of the wrong rank, naming params.spatial_size', async () => {
      await expect(
        cropBox({ ...clicks, spatial_size: [10, 12] }, { keys: 'image', spatial_size: [16, 16] }),
      ).rejects.toThrow(InvalidInputError);
      await expect(
        cropBox({ ...clicks, spatial_size: [10, 12] }, { keys: 'image', spatial_size: [16, 16] }),
      ).rejects.toThrow(/^params\.spatial_size: expected 3 integers/);
    });

    it('requires spatial_size at config load', () => {
      expect(() => registry.build({ name: 'SpatialCropGuidanced', args: { keys: 'image' } }, 'pre[5]')).toThrow(
        new ConfigError('pre[5] SpatialCropGuidanced', 'spatial_size is required'),
      );
    });
  });
});
