import { InvalidInputError } from '../../errors';
import { gridOf } from '../../image/crop';
import { resampleToShape } from '../../image/resample';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { addGuidanceFromPoints } from './add-guidance-from-points';
import { addGuidanceSignal } from './add-guidance-signal';
import { fetch2DSlice } from './fetch-2d-slice';
import { resizeGuidance } from './resize-guidance';
import { spatialCropGuidance } from './spatial-crop-guidance';

const registry = new TransformRegistry([
  addGuidanceFromPoints,
  fetch2DSlice,
  spatialCropGuidance,
  resizeGuidance,
  addGuidanceSignal,
]);

async function step(ctx: TransformContext, name: string, args: Record<string, unknown> = {}): Promise<void> {
  await registry.build({ name: `monai.apps.deepgrow.transforms.${name}`, args }, `pre_transforms[${name}]`).apply(ctx);
}

/** Value of channel `c` at (x, y, z) of a CDHW image. */
function at(ctx: TransformContext, c: number, x: number, y: number, z: number): number {
  const image = ctx.getImage('image');
  const [w, h, d] = image.sizeIjk;
  return image.voxels[((c * d + z) * h + y) * w + x] as number;
}

describe('AddGuidanceSignald', () => {
  // 10×20×20 (z, y, x) CT-like volume; clicks fg (5, 5, 5), bg (9, 9, 5).
  const params = { foreground: [[5, 5, 5]], background: [[9, 9, 5]] };
  function volume(): TransformContext {
    return new TransformContext({
      params,
      images: [['image', makeImage(new Int16Array(4000).fill(-100), [10, 20, 20])]],
    });
  }

  it('appends fg and bg Gaussian channels at the clicks, mapped through the crop (deepgrow 3D)', async () => {
    const ctx = volume();
    await step(ctx, 'AddGuidanceFromPointsd', { ref_image: 'image', guidance: 'guidance', dimensions: 3 });
    // box z [4, 7), y [4, 11), x [4, 11) is smaller than [4, 8, 8]: centred at (z 5, y 7, x 7) → start (3, 3, 3)
    await step(ctx, 'SpatialCropGuidanced', {
      keys: 'image',
      guidance: 'guidance',
      spatial_size: [4, 8, 8],
      margin: 1,
    });
    await step(ctx, 'ResizeGuidanced', { guidance: 'guidance', ref_image: 'image' });
    await step(ctx, 'AddGuidanceSignald', { image: 'image', guidance: 'guidance', sigma: 1 });
    const out = ctx.getImage('image');
    expect(out.shapeFormat).toBe('CDHW');
    expect(out.shape).toEqual([3, 4, 8, 8]);
    expect(at(ctx, 0, 0, 0, 0)).toBe(-100);
    // fg click (5, 5, 5) → (2, 2, 2) of the crop; bg (9, 9, 5) → (6, 6, 2)
    expect(at(ctx, 1, 2, 2, 2)).toBeCloseTo(1, 6);
    expect(at(ctx, 1, 3, 2, 2)).toBeCloseTo(Math.exp(-0.5), 6);
    expect(at(ctx, 1, 3, 3, 3)).toBeCloseTo(Math.exp(-1.5), 6);
    expect(at(ctx, 1, 7, 7, 0)).toBe(0);
    expect(at(ctx, 2, 6, 6, 2)).toBeCloseTo(1, 6);
    expect(at(ctx, 2, 6, 6, 0)).toBeCloseTo(Math.exp(-2), 6);
    expect(at(ctx, 2, 0, 0, 0)).toBe(0);
    expect(ctx.geometryHistory('image').steps.map((s) => s.kind)).toEqual(['crop', 'channels']);
  });

  it('follows a resize between the crop and the signal without rewriting the clicks', async () => {
    const ctx = volume();
    await step(ctx, 'AddGuidanceFromPointsd', { dimensions: 3 });
    await step(ctx, 'SpatialCropGuidanced', { keys: 'image', spatial_size: [4, 8, 8], margin: 1 });
    // Resized 4×8×8 → 7×15×15 (corner-aligned, exactly 2× per axis): crop voxel v is voxel 2v
    const cropped = ctx.getImage('image');
    ctx.setImage('image', resampleToShape(cropped, [7, 15, 15], 'linear'));
    ctx.recordGeometry('image', { kind: 'resample', before: gridOf(cropped) });
    await step(ctx, 'ResizeGuidanced');
    await step(ctx, 'AddGuidanceSignald', { sigma: 2 });
    expect(at(ctx, 1, 4, 4, 4)).toBeCloseTo(1, 6);
    expect(at(ctx, 2, 12, 12, 4)).toBeCloseTo(1, 6);
    expect(at(ctx, 1, 6, 4, 4)).toBeCloseTo(Math.exp(-4 / 8), 6);
  });

  it('gives a zero channel for a list without clicks, and works on the 2-D slice (deepgrow 2D)', async () => {
    const ctx = new TransformContext({
      params: {
        foreground: [
          [3, 4, 2],
          [8, 8, 6],
        ],
      },
      images: [['image', makeImage(new Float32Array(4000), [10, 20, 20])]],
    });
    await step(ctx, 'AddGuidanceFromPointsd', { dimensions: 2 });
    await step(ctx, 'Fetch2DSliced', { keys: 'image' });
    await step(ctx, 'SpatialCropGuidanced', { keys: 'image', spatial_size: [6, 6], margin: 1 });
    await step(ctx, 'AddGuidanceSignald', { sigma: 1 });
    const out = ctx.getImage('image');
    expect(out.shapeFormat).toBe('CHW');
    expect(out.shape).toEqual([3, 6, 6]);
    // slice 2 keeps click (3, 4); box y [3, 6), x [2, 5) centred at (4, 3) → start y 1, x 0
    const channel = (c: number) => out.voxels.subarray(c * 36, (c + 1) * 36);
    expect(channel(1)[3 * 6 + 3]).toBeCloseTo(1, 6);
    // the 6×6 slice ends within 4σ of the click, so the minimum is the far corner (0, 0): exp(-18 / 2), and the
    // min-max rescale gives (exp(-0.5) - m) / (1 - m) next to the click
    const m = Math.exp(-9);
    expect(channel(1)[3 * 6 + 4]).toBeCloseTo((Math.exp(-0.5) - m) / (1 - m), 6);
    expect(channel(1)[0]).toBe(0);
    expect(Math.max(...channel(2))).toBe(0);
  });

  describe('bad input', () => {
    it('refuses to run before AddGuidanceFromPointsd, naming the guidance key', async () => {
      await expect(step(volume(), 'AddGuidanceSignald', { guidance: 'clicks' })).rejects.toThrow(InvalidInputError);
      await expect(step(volume(), 'AddGuidanceSignald', { guidance: 'clicks' })).rejects.toThrow(
        /no guidance 'clicks'/,
      );
    });

    it('ResizeGuidanced names a missing reference image', async () => {
      const ctx = volume();
      await step(ctx, 'AddGuidanceFromPointsd', { dimensions: 3 });
      await expect(step(ctx, 'ResizeGuidanced', { ref_image: 'img' })).rejects.toThrow(/no image 'img'/);
    });

    it('rejects a click outside the image when the signal is made', async () => {
      const ctx = volume();
      await step(ctx, 'AddGuidanceFromPointsd', { dimensions: 3 });
      const next = new TransformContext({
        params: { foreground: [[0, 0, 10]] },
        images: [['image', ctx.getImage('image')]],
      });
      next.setProperty('guidance', ctx.getProperty('guidance'));
      await expect(step(next, 'AddGuidanceSignald')).rejects.toThrow(
        /^params\.foreground\[0\]: \[0, 0, 10\] lies outside/,
      );
    });
  });
});
