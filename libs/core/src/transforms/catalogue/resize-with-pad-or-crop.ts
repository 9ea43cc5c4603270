import { z } from 'zod';
import { keyArgs, resolveKeys, spatialSizeArg } from '../args';
import { defineTransform } from '../transform';
import { centerCropBox } from './center-spatial-crop';
import { applyBox, padBox, padArgs, targetSize } from './spatial-pad';

const args = z.object({
  ...keyArgs,
  /** The exact spatial size wanted, slowest axis first; a size ≤ 0 keeps the image's (MONAI's `-1`). */
  spatial_size: spatialSizeArg,
  ...padArgs,
});

/**
 * MONAI's ResizeWithPadOrCropd: brings each image in `keys` to exactly `spatial_size` without resampling, as MONAI
 * does it (`padder(cropper(img))`): a centre crop of the longer axes (CenterSpatialCropd), then a pad of the shorter
 * ones (SpatialPadd, `symmetric` by default, constant `value`). Both are done in one cut and recorded as one step, so
 * RestoreOriginalShape puts a model output back on the image's grid (zeros where the crop removed voxels).
 *
 * Sizes are listed slowest axis first ([D, H, W]), as every size in this catalogue.
 *
 * @throws InvalidInputError when `spatial_size` has another rank than the image.
 */
export const resizeWithPadOrCrop = defineTransform({
  name: 'ResizeWithPadOrCropd',
  summary:
    'Brings each image to exactly spatial_size by a centre crop then a pad, without resampling, recorded for restore.',
  aliases: ['monai.transforms.ResizeWithPadOrCropd', 'aiaa.transforms.ResizeWithPadOrCropd'],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a)) {
      const shape = ctx.getImage(key).spatialShape;
      const target = targetSize({ transform: 'ResizeWithPadOrCropd', arg: 'spatial_size' }, key, shape, a.spatial_size);
      const crop = centerCropBox(shape, target);
      const pad = padBox(crop.sizeDhw, target, a.method);
      // The pad box is relative to the cropped image: its start adds to the crop's.
      const startDhw = crop.startDhw.map((s, axis) => s + (pad.startDhw[axis] as number));
      applyBox(ctx, key, { startDhw, sizeDhw: pad.sizeDhw }, a.value);
    }
  },
});
