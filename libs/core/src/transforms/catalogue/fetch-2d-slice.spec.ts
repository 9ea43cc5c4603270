import { InvalidInputError } from '../../errors';
import { applyMat4, scalingAffine } from '../../image/affine';
import { cropOrPad } from '../../image/crop';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { addGuidanceFromPoints } from './add-guidance-from-points';
import { fetch2DSlice } from './fetch-2d-slice';

const registry = new TransformRegistry([addGuidanceFromPoints, fetch2DSlice]);
const affine = scalingAffine([0.5, 0.5, 3], [-10, -20, 40]);

/** D×H×W = 4×3×5; voxel (x, y, z) holds 100z + 10y + x. */
function volume() {
  const voxels = new Int16Array(60);
  for (let z = 0; z < 4; z++) {
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 5; x++) {
        voxels[(z * 3 + y) * 5 + x] = 100 * z + 10 * y + x;
      }
    }
  }
  return makeImage(voxels, [4, 3, 5], 'DHW', affine);
}

async function sliced(params: Record<string, unknown>, dimensions = 2) {
  const ctx = new TransformContext({ params, images: [['image', volume()]] });
  await registry.build({ name: 'AddGuidanceFromPointsd', args: { dimensions } }, 'pre[3]').apply(ctx);
  await registry.build({ name: 'Fetch2DSliced', args: { keys: 'image', guidance: 'guidance' } }, 'pre[4]').apply(ctx);
  return ctx;
}

describe('Fetch2DSliced', () => {
  it('keeps the clicked slice as an HW image on that slice', async () => {
    const ctx = await sliced({ foreground: [[1, 1, 2]], background: [[4, 0, 2]] });
    const plane = ctx.getImage('image');
    expect(plane.shapeFormat).toBe('HW');
    expect(plane.shape).toEqual([3, 5]);
    expect(Array.from(plane.voxels)).toEqual([
      200, 201, 202, 203, 204, 210, 211, 212, 213, 214, 220, 221, 222, 223, 224,
    ]);
    // 2-D voxel (i, j) is 3-D voxel (i, j, 2): same millimetres
    expect(applyMat4(plane.affine, [3, 1, 0])).toEqual(applyMat4(affine, [3, 1, 2]));
  });

  it('records a depth-1 crop whose inverse lands on the input grid', async () => {
    const ctx = await sliced({ foreground: [[1, 1, 3]] });
    const [step] = ctx.geometryHistory('image').steps;
    if (step?.kind !== 'crop') {
      throw new Error('expected a crop');
    }
    expect([step.startDhw, step.sizeDhw, step.before.shapeFormat]).toEqual([[3, 0, 0], [1, 3, 5], 'DHW']);
    const plane = ctx.getImage('image');
    const asVolume = plane.with({ shape: step.sizeDhw, shapeFormat: 'DHW' });
    const back = cropOrPad(
      asVolume,
      step.startDhw.map((s) => -s),
      step.before.spatialShape,
    );
    expect(back.shape).toEqual([4, 3, 5]);
    expect(Array.from(back.affine)).toEqual(Array.from(affine));
    expect(back.voxels[(3 * 3 + 2) * 5 + 4]).toBe(324);
    expect(back.voxels[(2 * 3 + 2) * 5 + 4]).toBe(0);
  });

  it('slices every channel of a CDHW image', async () => {
    const two = makeImage(
      Float32Array.from({ length: 16 }, (_, i) => i),
      [2, 2, 2, 2],
      'CDHW',
    );
    const ctx = new TransformContext({ params: { foreground: [[0, 0, 1]] }, images: [['image', two]] });
    await registry.build({ name: 'AddGuidanceFromPointsd' }, 'pre[0]').apply(ctx);
    await registry.build({ name: 'Fetch2DSliced', args: { keys: ['image'] } }, 'pre[1]').apply(ctx);
    expect(ctx.getImage('image').shape).toEqual([2, 2, 2]);
    expect(Array.from(ctx.getImage('image').voxels)).toEqual([4, 5, 6, 7, 12, 13, 14, 15]);
  });

  describe('bad input', () => {
    it('refuses 3-D guidance', async () => {
      await expect(sliced({ foreground: [[1, 1, 1]] }, 3)).rejects.toThrow(InvalidInputError);
      await expect(sliced({ foreground: [[1, 1, 1]] }, 3)).rejects.toThrow(/guidance 'guidance' is 3-D/);
    });

    it('refuses to run before AddGuidanceFromPointsd', async () => {
      const ctx = new TransformContext({ images: [['image', volume()]] });
      await expect(registry.build({ name: 'Fetch2DSliced' }, 'pre[0]').apply(ctx)).rejects.toThrow(
        /no guidance 'guidance' in the transform context/,
      );
    });
  });
});
