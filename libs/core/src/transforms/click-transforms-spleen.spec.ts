import { join } from 'node:path';
import { labelExtent } from '../image/label-extent';
import { readNifti } from '../nifti/read-nifti';
import { TransformRegistry } from './registry';
import { TransformContext } from './transform-context';
import { CATALOGUE } from './catalogue';

// DEXTR3D on the real spleen CT (512×512×32, 0.785×0.785×7.5 mm, LAS) and its label.
const registry = new TransformRegistry(CATALOGUE);
const fixtures = join(__dirname, '../../test/fixtures');

/**
 * Computed outside this code by a pure-Python scan of the label's gunzipped voxels (vox_offset 352, x fastest):
 * the box of the non-zero voxels, and on each face the middle non-zero voxel in file order.
 */
const labelBox = { min: [68, 148, 8], max: [207, 311, 27] };
const labelExtremes = [
  [68, 240, 12],
  [207, 224, 24],
  [160, 148, 19],
  [96, 311, 14],
  [72, 226, 8],
  [200, 217, 27],
];

async function run(ctx: TransformContext, specs: { name: string; args?: Record<string, unknown> }[], list: string) {
  for (const transform of registry.buildList(specs, list)) {
    await transform.apply(ctx);
  }
}

describe('click-driven transforms on the spleen CT', () => {
  it('reports the label’s six extreme points and bounding box', async () => {
    const ctx = new TransformContext({
      images: [
        ['image', await readNifti(join(fixtures, 'spleen_8_ct.nii.gz'))],
        ['model', await readNifti(join(fixtures, 'spleen_8_label.nii.gz'))],
      ],
    });
    await run(
      ctx,
      [
        { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
        { name: 'aiaa.transforms.BoundingBoxd', args: { keys: 'model', result: 'result', bbox: 'bbox' } },
      ],
      'post_transforms',
    );
    expect(ctx.result().points).toEqual(labelExtremes);
    expect(ctx.result().bbox).toEqual([labelBox.min, labelBox.max]);
  });

  it('crops the points box plus 20 mm to 128³, adds the heat map, and restores onto the CT grid', async () => {
    const ct = await readNifti(join(fixtures, 'spleen_8_ct.nii.gz'));
    const ctx = new TransformContext({ params: { points: labelExtremes }, images: [['image', ct]] });
    await run(
      ctx,
      [
        { name: 'ConvertToChannelsFirst', args: { fields: 'image' } },
        {
          name: 'CropByExtremePoints',
          args: { image_field: 'image', points: 'points', pad: 20, roi: [128, 128, 128] },
        },
        { name: 'AddExtremePointsChannel', args: { image_field: 'image', points: 'points', sigma: 3 } },
      ],
      'pre_transforms',
    );
    // 20 mm is floor(20 / 0.785156) = 25 voxels in x and y, floor(20 / 7.5) = 2 slices:
    // x 43..232 (190), y 123..336 (214), z 6..29 (24)
    const crop = ctx.geometryHistory('image').steps[1];
    expect(crop?.kind === 'crop' && [crop.startDhw, crop.sizeDhw]).toEqual([
      [6, 123, 43],
      [24, 214, 190],
    ]);
    const image = ctx.getImage('image');
    expect(image.shape).toEqual([2, 128, 128, 128]);
    // point (68, 240, 12) → crop (25, 117, 6) → ·127/189, ·127/213, ·127/23 = (16.8, 69.8, 33.1) → voxel (17, 70, 33)
    const heat = image.voxels.subarray(128 ** 3);
    expect(heat[(33 * 128 + 70) * 128 + 17]).toBeCloseTo(1, 5);
    expect(heat[0]).toBe(-1);

    // A model that marks the whole crop comes back as exactly the crop box on the CT's grid.
    ctx.setImage(
      'model',
      image.with({ voxels: new Uint8Array(128 ** 3).fill(1), shape: [128, 128, 128], shapeFormat: 'DHW' }),
    );
    await run(
      ctx,
      [{ name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image', is_label: true } }],
      'post',
    );
    const mask = ctx.getImage('model');
    expect(mask.shape).toEqual(ct.shape);
    expect(Array.from(mask.affine)).toEqual(Array.from(ct.affine));
    expect(labelExtent(mask)).toMatchObject({ min: [43, 123, 6], max: [232, 336, 29] });
  });
});
