import { scalingAffine } from '../image/affine';
import { makeImage } from '../testing';
import { TransformRegistry } from './registry';
import { TransformContext } from './transform-context';
import { CATALOGUE } from './catalogue';

// The pre-transforms of NVIDIA/clara-train-examples PyTorch/NoteBooks/AIAA/deepgrow_2D/config/config_aiaa.json,
// verbatim after LoadImaged (the image is put in the context as LoadImaged leaves it).
const registry = new TransformRegistry(CATALOGUE);
const spacing2d = { name: 'monai.transforms.Spacingd', args: { keys: 'image', pixdim: [1.0, 1.0], mode: 'bilinear' } };
const deepgrow2d = [
  { name: 'monai.transforms.AsChannelFirstd', args: { keys: 'image' } },
  spacing2d,
  {
    name: 'monai.apps.deepgrow.transforms.AddGuidanceFromPointsd',
    args: { ref_image: 'image', guidance: 'guidance', dimensions: 2 },
  },
  { name: 'monai.apps.deepgrow.transforms.Fetch2DSliced', args: { keys: 'image', guidance: 'guidance' } },
  { name: 'monai.transforms.AddChanneld', args: { keys: 'image' } },
  {
    name: 'monai.apps.deepgrow.transforms.SpatialCropGuidanced',
    args: { keys: 'image', guidance: 'guidance', spatial_size: [256, 256] },
  },
  { name: 'monai.transforms.Resized', args: { keys: 'image', spatial_size: [256, 256], mode: 'area' } },
  { name: 'monai.apps.deepgrow.transforms.ResizeGuidanced', args: { guidance: 'guidance', ref_image: 'image' } },
  { name: 'monai.transforms.NormalizeIntensityd', args: { keys: 'image', subtrahend: 208, divisor: 388 } },
  { name: 'monai.apps.deepgrow.transforms.AddGuidanceSignald', args: { image: 'image', guidance: 'guidance' } },
];

async function runDeepgrow2D(specs: { name: string; args: Record<string, unknown> }[]): Promise<TransformContext> {
  // 10 slices of 300×280 (H×W), 0.7×0.7×5 mm; clicks on slice 7
  const ctx = new TransformContext({
    params: { foreground: [[100, 120, 7]], background: [[150, 160, 7]] },
    images: [
      [
        'image',
        makeImage(new Int16Array(10 * 300 * 280).fill(208), [10, 300, 280], 'DHW', scalingAffine([0.7, 0.7, 5])),
      ],
    ],
  });
  for (const transform of registry.buildList(specs, 'pre_transforms')) {
    await transform.apply(ctx);
  }
  return ctx;
}

describe('the deepgrow 2D config of clara-train-examples', () => {
  it('turns the clicked slice into the model input CHW [3, 256, 256] (Spacingd left out)', async () => {
    const ctx = await runDeepgrow2D(deepgrow2d.filter((s) => s !== spacing2d));
    const input = ctx.getImage('image');
    expect(input.shapeFormat).toBe('CHW');
    expect(input.shape).toEqual([3, 256, 256]);
    // clicks' box y [100, 181), x [80, 171) with margin 20 is under 256: centred at (y 140, x 125) → start (12, 0)
    const channel = (c: number) => input.voxels.subarray(c * 65536, (c + 1) * 65536);
    expect(channel(0)[0]).toBe(0); // (208 - 208) / 388
    expect(channel(1)[108 * 256 + 100]).toBeCloseTo(1, 6);
    expect(channel(2)[148 * 256 + 150]).toBeCloseTo(1, 6);
  });

  it.skip('runs with its Spacingd pixdim [1.0, 1.0] (ScaleByResolution takes three spacings only)', async () => {
    const ctx = await runDeepgrow2D(deepgrow2d);
    expect(ctx.getImage('image').shape).toEqual([3, 256, 256]);
  });
});
