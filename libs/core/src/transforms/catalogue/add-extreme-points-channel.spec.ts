import { ConfigError, InvalidInputError } from '../../errors';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { addExtremePointsChannel } from './add-extreme-points-channel';
import { cropByExtremePoints } from './crop-by-extreme-points';

const registry = new TransformRegistry([addExtremePointsChannel, cropByExtremePoints]);

// In a 30³ image, no two of these are within 2·4σ (σ = 1) along every axis, so the bumps never overlap.
const apart = [
  [5, 5, 5],
  [24, 5, 5],
  [5, 24, 5],
  [5, 5, 24],
  [24, 24, 24],
  [15, 15, 15],
];

describe('AddExtremePointsChannel', () => {
  it('appends a Gaussian map of the points: 1 at each point, exp(-d²/2σ²) at distance d, rescaled', async () => {
    const image = makeImage(new Int16Array(30 * 30 * 30).fill(7), [30, 30, 30]);
    const ctx = new TransformContext({ params: { points: apart }, images: [['image', image]] });
    await registry
      .build(
        { name: 'AddExtremePointsChannel', args: { image_field: 'image', sigma: 1, rescale_min: 0, rescale_max: 1 } },
        'pre[5]',
      )
      .apply(ctx);
    const out = ctx.getImage('image');
    expect(out.shapeFormat).toBe('CDHW');
    expect(out.shape).toEqual([2, 30, 30, 30]);
    const heat = (x: number, y: number, z: number): number => out.voxels[27000 + (z * 30 + y) * 30 + x] as number;
    for (const [x, y, z] of apart as [number, number, number][]) {
      expect(heat(x, y, z)).toBeCloseTo(1, 6);
    }
    expect(heat(6, 5, 5)).toBeCloseTo(Math.exp(-0.5), 6);
    // d² = 4 + 1 = 5
    expect(heat(15, 17, 14)).toBeCloseTo(Math.exp(-2.5), 6);
    expect(heat(0, 29, 12)).toBe(0);
    // channel 0 is the image, as float32
    expect(out.voxels[123]).toBe(7);
    expect(ctx.geometryHistory('image').steps.map((s) => s.kind)).toEqual(['channels']);
  });

  it('rescales to [-1, 1] by default', async () => {
    const ctx = new TransformContext({
      params: { points: apart },
      images: [['image', makeImage(new Float32Array(27000), [30, 30, 30])]],
    });
    await registry.build({ name: 'AddExtremePointsChanneld', args: { keys: 'image', sigma: 1 } }, 'p').apply(ctx);
    const heat = ctx.getImage('image').voxels.subarray(27000);
    expect(heat[(5 * 30 + 5) * 30 + 6]).toBeCloseTo(2 * Math.exp(-0.5) - 1, 6);
    expect(heat[0]).toBe(-1);
  });

  it('maps the points through a crop and resample onto the current grid', async () => {
    // Box x 2..10, y 1..9, z 3..11 (pad 0), 9³ → roi 5³: current = (original - start) / 2.
    const points = [
      [2, 5, 7],
      [10, 5, 7],
      [6, 1, 7],
      [6, 9, 7],
      [6, 5, 3],
      [6, 5, 11],
    ];
    const ctx = new TransformContext({
      params: { points },
      images: [['image', makeImage(new Float32Array(1728), [12, 12, 12])]],
    });
    await registry.build({ name: 'CropByExtremePoints', args: { pad: 0, roi: 5 } }, 'pre[0]').apply(ctx);
    await registry
      .build({ name: 'AddExtremePointsChannel', args: { sigma: 0.5, rescale_min: 0, rescale_max: 1 } }, 'pre[1]')
      .apply(ctx);
    const heat = ctx.getImage('image').voxels.subarray(125);
    const at = (x: number, y: number, z: number): number => heat[(z * 5 + y) * 5 + x] as number;
    for (const [x, y, z] of [
      [0, 2, 2],
      [4, 2, 2],
      [2, 0, 2],
      [2, 4, 2],
      [2, 2, 0],
      [2, 2, 4],
    ] as [number, number, number][]) {
      expect(at(x, y, z)).toBeCloseTo(1, 5);
    }
    // the centre is 2 voxels from all six: 6·exp(-4 / (2·0.25)); each peak gains only ~exp(-16) from the others
    expect(at(2, 2, 2)).toBeCloseTo(6 * Math.exp(-8), 5);
    expect(ctx.geometryHistory('image').steps.map((s) => s.kind)).toEqual(['crop', 'resample', 'channels']);
  });

  it('takes the extreme points of label_field when that image is present', async () => {
    const label = new Uint8Array(27000);
    for (const [x, y, z] of apart.slice(0, 5) as [number, number, number][]) {
      label[(z * 30 + y) * 30 + x] = 1;
    }
    const ctx = new TransformContext({
      images: [
        ['image', makeImage(new Float32Array(27000), [30, 30, 30])],
        ['label', makeImage(label, [30, 30, 30])],
      ],
    });
    await registry
      .build({ name: 'AddExtremePointsChannel', args: { label_field: 'label', sigma: 1, rescale_min: 0 } }, 'p')
      .apply(ctx);
    const heat = ctx.getImage('image').voxels.subarray(27000);
    expect(heat[(24 * 30 + 24) * 30 + 24]).toBeCloseTo(1, 6);
    expect(heat[(15 * 30 + 15) * 30 + 15]).toBe(0);
  });

  describe('bad params', () => {
    function run(params: Record<string, unknown>): Promise<void> {
      const ctx = new TransformContext({
        params,
        images: [['image', makeImage(new Float32Array(27000), [30, 30, 30])]],
      });
      return registry.build({ name: 'AddExtremePointsChannel' }, 'pre[5]').apply(ctx);
    }

    it('rejects five points, naming params.points', async () => {
      await expect(run({ points: apart.slice(0, 5) })).rejects.toThrow(InvalidInputError);
      await expect(run({ points: apart.slice(0, 5) })).rejects.toThrow(
        'params.points: expected at least 6 points, got 5',
      );
    });

    it('rejects a point outside the image, naming its index', async () => {
      await expect(run({ points: [...apart.slice(0, 2), [30, 0, 0], ...apart.slice(3)] })).rejects.toThrow(
        /^params\.points\[2\]: \[30, 0, 0\] lies outside the image/,
      );
    });

    it('rejects a non-positive sigma at config load, naming sigma', () => {
      expect(() => registry.build({ name: 'AddExtremePointsChannel', args: { sigma: 0 } }, 'pre[5]')).toThrow(
        ConfigError,
      );
      expect(() => registry.build({ name: 'AddExtremePointsChannel', args: { sigma: 0 } }, 'pre[5]')).toThrow(
        /^pre\[5\] AddExtremePointsChannel: sigma/,
      );
    });
  });
});
