import { scalingAffine } from '../image/affine';
import { labelExtent } from '../image/label-extent';
import { makeImage } from '../testing';
import { TransformRegistry } from './registry';
import { TransformContext } from './transform-context';
import { CATALOGUE } from './catalogue';

// The click-driven steps as real configs chain them, then RestoreOriginalShape: the model's mask must land on the
// grid of the image the client sent, through every crop, resample, slice and channel step recorded on the way.
const registry = new TransformRegistry(CATALOGUE);

async function run(ctx: TransformContext, specs: { name: string; args?: Record<string, unknown> }[], list: string) {
  for (const transform of registry.buildList(specs, list)) {
    await transform.apply(ctx);
  }
}

/** A D×H×W uint8 mask with ones in the box [lo, hi] (inclusive, [x, y, z]). */
function box(dhw: [number, number, number], lo: number[], hi: number[]) {
  const [d, h, w] = dhw;
  const voxels = new Uint8Array(d * h * w);
  for (let z = lo[2] as number; z <= (hi[2] as number); z++) {
    for (let y = lo[1] as number; y <= (hi[1] as number); y++) {
      voxels.fill(1, (z * h + y) * w + (lo[0] as number), (z * h + y) * w + (hi[0] as number) + 1);
    }
  }
  return voxels;
}

describe('click-driven transforms with RestoreOriginalShape', () => {
  const affine = scalingAffine([0.8, 0.8, 2.5], [-100, -120, 30]);

  it('DEXTR3D: crop + resample + heat map, then the mask and its extreme points come back on the input grid', async () => {
    const original = makeImage(new Int16Array(12 * 12 * 12), [12, 12, 12], 'DHW', affine);
    // x 2..10, y 1..9, z 3..11 with pad 0: a 9³ box resampled to 5³ (corner-aligned 2×: box voxel 2v is crop voxel v)
    const points = [
      [2, 5, 7],
      [10, 5, 7],
      [6, 1, 7],
      [6, 9, 7],
      [6, 5, 3],
      [6, 5, 11],
    ];
    const ctx = new TransformContext({ params: { points }, images: [['image', original]] });
    await run(
      ctx,
      [
        { name: 'ConvertToChannelsFirst', args: { fields: 'image' } },
        { name: 'CropByExtremePoints', args: { image_field: 'image', points: 'points', pad: 0, roi: [5, 5, 5] } },
        { name: 'AddExtremePointsChannel', args: { image_field: 'image', points: 'points', sigma: 1 } },
      ],
      'pre_transforms',
    );
    expect(ctx.getImage('image').shape).toEqual([2, 5, 5, 5]);
    // the model answers a cube [1..3]³ of the 5³ grid
    ctx.setImage(
      'model',
      ctx
        .getImage('image')
        .with({ voxels: box([5, 5, 5], [1, 1, 1], [3, 3, 3]), shape: [5, 5, 5], shapeFormat: 'DHW' }),
    );
    await run(
      ctx,
      [
        { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
        { name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image', is_label: true } },
      ],
      'post_transforms',
    );
    // x-min face of the cube: its middle voxel (1, 2, 2) is input voxel (2 + 2, 1 + 4, 3 + 4)
    expect(ctx.result().points).toEqual([
      [4, 5, 7],
      [8, 5, 7],
      [6, 3, 7],
      [6, 7, 7],
      [6, 5, 5],
      [6, 5, 9],
    ]);
    const mask = ctx.getImage('model');
    expect(mask.shape).toEqual([12, 12, 12]);
    expect(Array.from(mask.affine)).toEqual(Array.from(affine));
    // nearest back from 5 to 9 voxels reads round(i / 2) (half up): box voxels 1..6 hold crop voxels 1..3
    expect(labelExtent(mask)).toMatchObject({ min: [3, 2, 4], max: [8, 7, 9] });
  });

  it('deepgrow 3D: guidance, channel, crop and signal, then the prediction comes back on the input grid', async () => {
    const original = makeImage(new Int16Array(10 * 20 * 20), [10, 20, 20], 'DHW', affine);
    const ctx = new TransformContext({
      params: { foreground: [[5, 5, 5]], background: [[9, 9, 5]] },
      images: [['image', original]],
    });
    await run(
      ctx,
      [
        { name: 'monai.apps.deepgrow.transforms.AddGuidanceFromPointsd', args: { ref_image: 'image', dimensions: 3 } },
        { name: 'monai.transforms.AddChanneld', args: { keys: 'image' } },
        {
          name: 'monai.apps.deepgrow.transforms.SpatialCropGuidanced',
          args: { keys: 'image', guidance: 'guidance', spatial_size: [4, 8, 8], margin: 1 },
        },
        { name: 'monai.apps.deepgrow.transforms.AddGuidanceSignald', args: { image: 'image', guidance: 'guidance' } },
      ],
      'pre_transforms',
    );
    // crop start (z, y, x) = (3, 3, 3), size 4×8×8; the prediction marks the foreground click's voxel (2, 2, 2)
    const pred = new Float32Array(4 * 8 * 8);
    pred[(2 * 8 + 2) * 8 + 2] = 1;
    ctx.setImage('pred', makeImage(pred, [1, 4, 8, 8], 'CDHW'));
    await run(
      ctx,
      [
        {
          name: 'monai.apps.deepgrow.transforms.RestoreLabeld',
          args: { keys: 'pred', ref_image: 'image', mode: 'nearest' },
        },
      ],
      'post_transforms',
    );
    const restored = ctx.getImage('pred');
    expect(restored.shape).toEqual([10, 20, 20]);
    expect(Array.from(restored.affine)).toEqual(Array.from(affine));
    expect(labelExtent(restored)).toMatchObject({ min: [5, 5, 5], max: [5, 5, 5] });
  });

  it.skip('deepgrow 2D: the slice comes back on its place in the volume (RestoreOriginalShape cannot yet undo a crop from a 3-D grid to a 2-D image)', async () => {
    const original = makeImage(new Int16Array(10 * 20 * 20), [10, 20, 20], 'DHW', affine);
    const ctx = new TransformContext({ params: { foreground: [[3, 4, 2]] }, images: [['image', original]] });
    await run(
      ctx,
      [
        { name: 'AddGuidanceFromPointsd', args: { dimensions: 2 } },
        { name: 'Fetch2DSliced', args: { keys: 'image' } },
        { name: 'AddChanneld', args: { keys: 'image' } },
        { name: 'SpatialCropGuidanced', args: { keys: 'image', spatial_size: [6, 6], margin: 1 } },
        { name: 'AddGuidanceSignald' },
      ],
      'pre_transforms',
    );
    // box y [3, 6), x [2, 5) centred at (4, 3) → start y 1, x 0; the click is voxel (3, 3) of the 6×6 crop
    const pred = new Float32Array(36);
    pred[3 * 6 + 3] = 1;
    ctx.setImage('pred', makeImage(pred, [1, 6, 6], 'CHW'));
    await run(ctx, [{ name: 'RestoreLabeld', args: { keys: 'pred', ref_image: 'image', mode: 'nearest' } }], 'post');
    const restored = ctx.getImage('pred');
    expect(restored.shape).toEqual([10, 20, 20]);
    expect(labelExtent(restored)).toMatchObject({ min: [3, 4, 2], max: [3, 4, 2] });
  });
});
