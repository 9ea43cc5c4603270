import { ConfigError, InvalidInputError } from '../../errors';
import { applyMat4, scalingAffine } from '../../image/affine';
import { cropOrPad } from '../../image/crop';
import { resampleToShape } from '../../image/resample';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { cropByExtremePoints } from './crop-by-extreme-points';

const registry = new TransformRegistry([cropByExtremePoints]);

/** D×H×W = 8×10×12, spacing (x, y, z) = (1, 1, 2) mm; voxel (x, y, z) holds x + 20y + 400z. */
function ramp() {
  const voxels = new Float32Array(8 * 10 * 12);
  for (let z = 0; z < 8; z++) {
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 12; x++) {
        voxels[(z * 10 + y) * 12 + x] = x + 20 * y + 400 * z;
      }
    }
  }
  return makeImage(voxels, [8, 10, 12], 'DHW', scalingAffine([1, 1, 2]));
}

// x spans 3..7, y 2..6, z 2..5
const points = [
  [3, 4, 3],
  [7, 4, 3],
  [5, 2, 4],
  [5, 6, 4],
  [5, 4, 2],
  [5, 4, 5],
];

function run(params: Record<string, unknown>, args: Record<string, unknown> = { pad: 2, roi: [5, 5, 3] }) {
  const ctx = new TransformContext({ params, images: [['image', ramp()]] });
  const step = registry.build({ name: 'CropByExtremePoints', args: { image_field: 'image', ...args } }, 'pre[4]');
  return { ctx, done: step.apply(ctx) };
}

describe('CropByExtremePoints', () => {
  it('cuts the box of the points plus pad mm and resamples it to roi', async () => {
    const { ctx, done } = run({ points });
    await done;
    // pad 2 mm = 2 voxels in x and y, 1 in z: box x 1..9, y 0..8, z 1..6 → 9×9×6, resampled to roi (x, y, z) 5×5×3
    const out = ctx.getImage('image');
    expect(out.shape).toEqual([3, 5, 5]);
    // corner-aligned: spacing x (9-1)/(5-1) = 2 mm, y 2 mm, z 2·(6-1)/(3-1) = 5 mm; voxel 0 at box start (1, 0, 1)
    expect(Array.from(out.affine)).toEqual(Array.from(scalingAffine([2, 2, 5], [1, 0, 2])));
    // output (ox, oy, oz) reads input (1 + 2ox, 2oy, 1 + 2.5oz); the ramp is linear so trilinear is exact
    const at = (x: number, y: number, z: number): number => out.voxels[(z * 5 + y) * 5 + x] as number;
    expect(at(0, 0, 0)).toBeCloseTo(1 + 400, 3);
    expect(at(4, 4, 2)).toBeCloseTo(9 + 20 * 8 + 400 * 6, 3);
    expect(at(1, 2, 1)).toBeCloseTo(3 + 20 * 4 + 400 * 3.5, 3);
  });

  it('records the crop and the resample, whose inverse lands on the input grid', async () => {
    const { ctx, done } = run({ points });
    await done;
    const steps = ctx.geometryHistory('image').steps;
    expect(steps.map((s) => s.kind)).toEqual(['crop', 'resample']);
    const [crop, resample] = steps;
    if (crop?.kind !== 'crop' || !resample) {
      throw new Error('expected a crop then a resample');
    }
    expect(crop.startDhw).toEqual([1, 0, 1]);
    expect(crop.sizeDhw).toEqual([6, 9, 9]);
    // undo last-first: resample back to the crop's grid, then paste the crop into the input's grid
    const back = resampleToShape(ctx.getImage('image'), resample.before.spatialShape, 'linear');
    expect(Array.from(back.affine)).toEqual(Array.from(resample.before.affine));
    const restored = cropOrPad(
      back,
      crop.startDhw.map((s) => -s),
      crop.before.spatialShape,
    );
    const original = ramp();
    expect(restored.shape).toEqual(original.shape);
    expect(Array.from(restored.affine)).toEqual(Array.from(original.affine));
    // inside the box the round trip of a linear ramp gives the input back
    expect(restored.voxels[(3 * 10 + 4) * 12 + 5]).toBeCloseTo(original.voxels[(3 * 10 + 4) * 12 + 5] as number, 2);
  });

  it('keeps the box inside the image and reads points sent as a JSON string', async () => {
    const corner = [
      [0, 0, 0],
      [11, 0, 0],
      [0, 9, 0],
      [0, 0, 7],
      [1, 1, 1],
      [2, 2, 2],
    ];
    const { ctx, done } = run({ points: JSON.stringify(corner) }, { pad: 20, roi: 4 });
    await done;
    const crop = ctx.geometryHistory('image').steps[0];
    expect(crop?.kind === 'crop' && [crop.startDhw, crop.sizeDhw]).toEqual([
      [0, 0, 0],
      [8, 10, 12],
    ]);
    expect(ctx.getImage('image').shape).toEqual([4, 4, 4]);
    expect(applyMat4(ctx.getImage('image').affine, [3, 3, 3])).toEqual([11, 9, 14]);
  });

  describe('bad params', () => {
    async function failure(params: Record<string, unknown>): Promise<Error> {
      const { done } = run(params);
      return done.then(
        () => {
          throw new Error('expected a failure');
        },
        (error: Error) => error,
      );
    }

    it('rejects no points, naming params.points', async () => {
      const error = await failure({ points: [] });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe('params.points: expected at least 6 points, got 0');
    });

    it('rejects an absent points param', async () => {
      expect((await failure({})).message).toMatch(/^params\.points is required/);
    });

    it('rejects a point outside the input image, naming its index', async () => {
      const error = await failure({ points: [...points.slice(0, 3), [5, 10, 4], ...points.slice(4)] });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe(
        'params.points[3]: [5, 10, 4] lies outside the image (0 ≤ x < 12, 0 ≤ y < 10, 0 ≤ z < 8)',
      );
    });

    it('rejects 10 000 points, naming params.points', async () => {
      const many = Array.from({ length: 10_000 }, () => [1, 1, 1]);
      const error = await failure({ points: many });
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe('params.points: 10000 points exceed the limit of 1000');
    });

    it('rejects a roi that is not three sizes at config load', () => {
      expect(() => registry.build({ name: 'SpatialCrop', args: { roi: [128, 128] } }, 'pre_transforms[3]')).toThrow(
        ConfigError,
      );
      expect(() => registry.build({ name: 'SpatialCrop', args: { roi: [128, 128] } }, 'pre_transforms[3]')).toThrow(
        /^pre_transforms\[3\] SpatialCrop: roi/,
      );
    });
  });
});
