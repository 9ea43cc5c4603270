import { TooLargeError } from '../errors';
import { cropOrPad } from '../image/crop';
import { MedicalImage } from '../image/medical-image';
import { resampleToShape } from '../image/resample';
import { paintVolume } from '../polygon/polygon-mask';
import { TransformRegistry } from '../transforms/registry';
import { CATALOGUE } from '../transforms/catalogue';
import { TransformContext } from '../transforms/transform-context';
import { AllocationBudget, formatBytes } from './allocation-budget';

const MiB = 1024 * 1024;
const registry = new TransformRegistry(CATALOGUE);

/** A 2×2×2 float32 image with 1000 mm voxels: 32 bytes that a resample to 1 mm makes 2000³ voxels (32 GB). */
function hugeSpacing(): MedicalImage {
  const affine = new Float64Array([1000, 0, 0, 0, 0, 1000, 0, 0, 0, 0, 1000, 0, 0, 0, 0, 1]);
  return new MedicalImage({
    voxels: new Float32Array(8),
    shape: [2, 2, 2],
    shapeFormat: 'DHW',
    affine,
    source: 'tiny.nii',
  });
}

/** Bytes of ArrayBuffers the process holds: what a refused allocation must not have grown. */
const arrayBytes = (): number => process.memoryUsage().arrayBuffers;

describe('AllocationBudget', () => {
  it('refuses a resample whose output does not fit, naming the image, the shape and both sizes, allocating nothing', async () => {
    const ctx = new TransformContext({
      images: [['image', hugeSpacing()]],
      budget: { limitBytes: 64 * MiB, hint: '--flag' },
    });
    const spacing = registry.build(
      { name: 'Spacingd', args: { keys: 'image', pixdim: [1, 1, 1] } },
      'pre_transforms[0]',
    );
    const before = arrayBytes();
    const refusal = spacing.apply(ctx);
    await expect(refusal).rejects.toThrow(TooLargeError);
    await expect(refusal).rejects.toThrow(
      "tiny.nii: resampled to 2000×2000×2000 float32 needs 29.8 GiB besides the 32 bytes the request holds, over the request's allocation budget of 64 MiB (--flag)",
    );
    expect(arrayBytes() - before).toBeLessThan(MiB);
    expect(ctx.getImage('image').shape).toEqual([2, 2, 2]);
  });

  it('answers an output past 2^32 elements as too large, not as a RangeError', () => {
    const image = hugeSpacing();
    const refusal = (): unknown => resampleToShape(image, [4096, 4096, 1024], 'nearest', AllocationBudget.UNLIMITED);
    expect(refusal).not.toThrow(RangeError);
    const budget = new AllocationBudget({ limitBytes: Number.POSITIVE_INFINITY });
    expect(() => resampleToShape(image, [4096, 4096, 4096], 'nearest', budget)).toThrow(
      'tiny.nii: resampled to 4096×4096×4096 float32: 6.87e10 elements, more than the 2^32 one array can hold',
    );
  });

  it('counts the images a context holds once each, and passes a linear resample along shrinking axes first', () => {
    const image = new MedicalImage({
      voxels: new Float32Array(1000 * 1000),
      shape: [1, 1000, 1000],
      shapeFormat: 'DHW',
    });
    const ctx = new TransformContext({
      images: [
        ['image', image],
        ['alias', image.with({})],
      ],
      budget: { limitBytes: 10 * MiB },
    });
    expect(ctx.heldBytes()).toBe(4_000_000);
    // [1000, 1, 1] → [1, 1000, 1000]: 4 MB out; passing W, H, then D would hold a [1000, 1000, 1000] volume (4 GB)
    // between passes, passing D first holds nothing bigger than the output.
    const column = new MedicalImage({ voxels: new Float32Array(1000), shape: [1000, 1, 1], shapeFormat: 'DHW' });
    expect(resampleToShape(column, [1, 1000, 1000], 'linear', ctx.budget).shape).toEqual([1, 1000, 1000]);
    expect(() => resampleToShape(column, [2, 1000, 1000], 'linear', ctx.budget)).toThrow(
      'image: resampled to 2×1000×1000 float32 needs 7.6 MiB besides the 3.8 MiB the request holds',
    );
  });

  it('checks a crop padded past the image, and a mask sized by a header alone, before allocating them', async () => {
    const budget = new AllocationBudget({ limitBytes: MiB });
    expect(() => cropOrPad(hugeSpacing(), [0, 0, 0], [512, 512, 512], 0, budget)).toThrow(
      'tiny.nii: cropped to 512×512×512 float32 needs 512 MiB',
    );
    await expect(paintVolume([], [100_000, 100_000, 100], new AbortController().signal, budget)).rejects.toThrow(
      'the mask: 100×100000×100000 uint8 needs 931 GiB',
    );
  });

  it('splits labels only when every output fits', () => {
    const labels = new Uint8Array(64 * 64 * 64).map((_, i) => (i % 200) + 1);
    const ctx = new TransformContext({
      images: [['model', new MedicalImage({ voxels: labels, shape: [64, 64, 64], shapeFormat: 'DHW' })]],
      budget: { limitBytes: 8 * MiB },
    });
    const split = registry.build({ name: 'SplitBasedOnLabel', args: { keys: 'model' } }, 'post_transforms[0]');
    return expect(split.apply(ctx)).rejects.toThrow(
      "image 'model' split into 200 labels: 200×64×64×64 uint8 needs 50 MiB",
    );
  });

  it('formats sizes for people', () => {
    expect([512, 1536, 300 * MiB, 4 * 1024 * MiB, 1.5 * 1024 ** 4].map(formatBytes)).toEqual([
      '512 bytes',
      '1.5 KiB',
      '300 MiB',
      '4 GiB',
      '1.5 TiB',
    ]);
  });
});
