import { mat4FromRows, spacingFromAffine } from '../../image/affine';
import type { MedicalImage } from '../../image/medical-image';
import { axisCodes } from '../../image/orientation';
import { makeImage } from '../../testing';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';
import { CATALOGUE } from './index';

const registry = new TransformRegistry(CATALOGUE);

/**
 * The conform step of the brain MRI configs (FreeSurfer's "conformed" grid: 1 mm voxels, LIA axes, a cube), here to 8³:
 * Orientationd + Spacingd + ResizeWithPadOrCropd, then RestoreOriginalShape of the result as a label. The test images
 * are label maps resampled with nearest, so the round trip can be compared voxel for voxel (the brain configs resample
 * intensities trilinearly).
 */
const CONFORM = [
  { name: 'Orientationd', args: { keys: 'image', axcodes: 'LIA' } },
  { name: 'Spacingd', args: { keys: 'image', pixdim: [1, 1, 1], mode: 'nearest' } },
  { name: 'ResizeWithPadOrCropd', args: { keys: 'image', spatial_size: [8, 8, 8] } },
];

async function conform(image: MedicalImage): Promise<{ conformed: MedicalImage; restored: MedicalImage }> {
  const ctx = new TransformContext({ images: [['image', image]] });
  for (const transform of registry.buildList(CONFORM, 'pre_transforms')) {
    await transform.apply(ctx);
  }
  const conformed = ctx.getImage('image');
  ctx.setImage('model', conformed);
  const restore = { name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image', is_label: true } };
  await registry.build(restore, 'post_transforms[0]').apply(ctx);
  return { conformed, restored: ctx.getImage('model') };
}

describe('conforming to a 1 mm LIA cube (Orientationd + Spacingd + ResizeWithPadOrCropd) and back', () => {
  it('reorients and pads a 1 mm LAS image, and restores it voxel for voxel', async () => {
    const las = mat4FromRows([
      [-1, 0, 0, 2],
      [0, 1, 0, -3],
      [0, 0, 1, 4],
      [0, 0, 0, 1],
    ]);
    // 5 × 6 × 4 voxels (i, j, k)
    const voxels = Uint8Array.from({ length: 120 }, (_, v) => v);
    const image = makeImage(voxels, [4, 6, 5], 'DHW', las);
    const { conformed, restored } = await conform(image);
    expect(conformed.shape).toEqual([8, 8, 8]);
    expect(axisCodes(conformed.affine)).toEqual(['L', 'I', 'A']);
    expect(spacingFromAffine(conformed.affine)).toEqual([1, 1, 1]);
    expect(restored.shape).toEqual([4, 6, 5]);
    expect(Array.from(restored.voxels)).toEqual(Array.from(voxels));
    expect(Array.from(restored.affine)).toEqual(Array.from(las));
  });

  it('resamples a 2 mm RAS image to about 1 mm (corner voxels kept), and restores it voxel for voxel', async () => {
    const ras = mat4FromRows([
      [2, 0, 0, -4],
      [0, 2, 0, -2],
      [0, 0, 2, -2],
      [0, 0, 0, 1],
    ]);
    // 4 × 3 × 3 voxels (i, j, k) at 2 mm: Spacingd gives round(n · 2) = 8, 6, 6 voxels of 2 (n − 1) / (2n − 1) mm
    const voxels = Uint8Array.from({ length: 36 }, (_, v) => v + 1);
    const image = makeImage(voxels, [3, 3, 4], 'DHW', ras);
    const { conformed, restored } = await conform(image);
    expect(conformed.shape).toEqual([8, 8, 8]);
    expect(axisCodes(conformed.affine)).toEqual(['L', 'I', 'A']);
    const spacing = spacingFromAffine(conformed.affine);
    [6 / 7, 4 / 5, 4 / 5].forEach((mm, axis) => expect(spacing[axis]).toBeCloseTo(mm, 12));
    // The 8 × 6 × 6 volume sits in the cube with one empty plane on each side of the two short axes.
    expect(conformed.voxels.filter((v) => v !== 0).length).toBe(8 * 6 * 6);
    expect(restored.shape).toEqual([3, 3, 4]);
    expect(Array.from(restored.voxels)).toEqual(Array.from(voxels));
    expect(Array.from(restored.affine)).toEqual(Array.from(ras));
  });
});
