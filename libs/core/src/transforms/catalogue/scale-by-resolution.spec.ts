import { ConfigError } from '../../errors';
import { mat4FromRows } from '../../image/affine';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);
const affine = mat4FromRows([
  [1, 0, 0, 5],
  [0, 1, 0, 6],
  [0, 0, 1, 7],
  [0, 0, 0, 1],
]);

/** A [D, H, W] = [1, 2, 3] image with rows [0, 10, 20] and [30, 40, 50], 1 mm voxels. */
function ramp(): TransformContext {
  const image = makeImage(Int16Array.from([0, 10, 20, 30, 40, 50]), [1, 2, 3], 'DHW', affine);
  return new TransformContext({ images: [['image', image]] });
}

describe('ScaleByResolution', () => {
  it('resamples trilinearly with corner alignment and writes the exact spacing to the affine', async () => {
    const ctx = ramp();
    const args = { fields: 'image', target_resolution: [0.5, 1, 1], is_label: 'false' };
    await registry.build({ name: 'ScaleByResolution', args }, 'pre_transforms[2]').apply(ctx);
    const out = ctx.getImage('image');
    // W: 3 → round(3 · 2) = 6 voxels reading x = o · 2/5 = 0, 0.4, 0.8, 1.2, 1.6, 2.
    expect(out.shape).toEqual([1, 2, 6]);
    expect(out.dtype).toBe('float32');
    expect(Array.from(out.voxels, (v) => Math.round(v * 1e4) / 1e4)).toEqual([
      0, 4, 8, 12, 16, 20, 30, 34, 38, 42, 46, 50,
    ]);
    expect(out.spacingMm[0]).toBeCloseTo(0.4, 12);
    expect(Array.from(out.affine)).toEqual([0.4, 0, 0, 5, 0, 1, 0, 6, 0, 0, 1, 7, 0, 0, 0, 1]);
    expect(ctx.geometryHistory('image').steps).toMatchObject([
      { kind: 'resample', before: { spatialShape: [1, 2, 3], affine } },
    ]);
  });

  it('uses nearest neighbour for labels and keeps the dtype', async () => {
    const ctx = ramp();
    await registry
      .build({ name: 'ScaleByResolution', args: { target_resolution: [0.5, 1, 1], is_label: true } }, 'x')
      .apply(ctx);
    const out = ctx.getImage('image');
    // x = 0, 0.4, 0.8, 1.2, 1.6, 2 rounds to voxels 0, 0, 1, 1, 2, 2.
    expect(out.dtype).toBe('int16');
    expect(Array.from(out.voxels)).toEqual([0, 0, 10, 10, 20, 20, 30, 30, 40, 40, 50, 50]);
  });

  it('takes MONAI Spacingd names (pixdim, per-key mode)', async () => {
    const ctx = ramp();
    ctx.setImage('label', ctx.getImage('image'));
    const args = { keys: ['image', 'label'], pixdim: [0.5, 1, 1], mode: ['bilinear', 'nearest'] };
    await registry.build({ name: 'monai.transforms.Spacingd', args }, 'x').apply(ctx);
    expect(ctx.getImage('image').dtype).toBe('float32');
    expect(ctx.getImage('label').dtype).toBe('int16');
  });

  it('resamples in-plane only for two spacings (deepgrow 2D pixdim [x, y])', async () => {
    // [D, H, W] = [2, 1, 3], 4 mm slices: W 3 → 6 at 0.5 mm, D stays 2.
    const image = makeImage(Int16Array.from([0, 10, 20, 30, 40, 50]), [2, 1, 3], 'DHW', affine);
    const ctx = new TransformContext({
      images: [['image', image.with({ affine: Float64Array.from([1, 0, 0, 5, 0, 1, 0, 6, 0, 0, 4, 7, 0, 0, 0, 1]) })]],
    });
    await registry
      .build({ name: 'Spacingd', args: { keys: 'image', pixdim: [0.5, 1], mode: 'bilinear' } }, 'x')
      .apply(ctx);
    const out = ctx.getImage('image');
    expect(out.shape).toEqual([2, 1, 6]);
    expect(Array.from(out.voxels, (v) => Math.round(v * 1e4) / 1e4)).toEqual([
      0, 4, 8, 12, 16, 20, 30, 34, 38, 42, 46, 50,
    ]);
    expect(out.spacingMm[2]).toBe(4);
  });

  it('does nothing (and records nothing) when the spacing already matches', async () => {
    const ctx = ramp();
    const before = ctx.getImage('image');
    await registry.build({ name: 'ScaleByResolution', args: { target_resolution: [1, 1, 1] } }, 'x').apply(ctx);
    expect(ctx.getImage('image')).toBe(before);
    expect(ctx.geometryHistory('image').steps).toHaveLength(0);
  });

  describe('bad input', () => {
    it('requires a target resolution', () => {
      expect(() => registry.buildList([{ name: 'ScaleByResolution', args: {} }], 'pre_transforms')).toThrow(
        /pre_transforms\[0\] ScaleByResolution: target_resolution/,
      );
    });

    it('names a non-positive spacing', () => {
      const build = () =>
        registry.buildList([{ name: 'ScaleByResolution', args: { target_resolution: [1, -1, 1] } }], 'pre_transforms');
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/pre_transforms\[0\] ScaleByResolution: target_resolution\.1/);
    });

    it('names a spacing list of the wrong length', () => {
      expect(() =>
        registry.build({ name: 'ScaleByResolution', args: { target_resolution: [1] } }, 'pre_transforms[2]'),
      ).toThrow(/pre_transforms\[2\] ScaleByResolution: target_resolution/);
    });

    it('names an unknown interpolation mode', () => {
      expect(() =>
        registry.build({ name: 'Spacingd', args: { pixdim: [1, 1, 1], mode: 'cubic' } }, 'pre_transforms[3]'),
      ).toThrow(/pre_transforms\[3\] Spacingd: mode/);
    });
  });
});
