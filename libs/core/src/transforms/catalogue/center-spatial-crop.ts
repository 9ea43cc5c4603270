import { z } from 'zod';
import { keyArgs, resolveKeys, spatialSizeArg } from '../args';
import { defineTransform } from '../transform';
import { type Box, applyBox, targetSize } from './spatial-pad';

/**
 * MONAI's CenterSpatialCrop placement: the box of size `roi` around voxel `n // 2` starts at
 * `max(n // 2 − roi // 2, 0)` and is clipped to the image, so an axis shorter than `roi` is kept whole.
 */
export function centerCropBox(spatialShape: readonly number[], roi: readonly number[]): Box {
  const startDhw = spatialShape.map((n, axis) =>
    Math.max(Math.floor(n / 2) - Math.floor((roi[axis] as number) / 2), 0),
  );
  const sizeDhw = spatialShape.map(
    (n, axis) => Math.min((startDhw[axis] as number) + (roi[axis] as number), n) - (startDhw[axis] as number),
  );
  return { startDhw, sizeDhw };
}

const args = z.object({
  ...keyArgs,
  /** The box size, slowest axis first; a size ≤ 0 keeps the image's (MONAI's `-1`). */
  roi_size: spatialSizeArg,
});

/**
 * MONAI's CenterSpatialCropd: cuts a `roi_size` box around the centre voxel (`n // 2`) of each image in `keys`
 * (channels first, every channel alike); an axis shorter than `roi_size` is not cropped (nor padded). The affine
 * follows the cut, and the step is recorded, so RestoreOriginalShape pads a model output back with zeros.
 *
 * Sizes are listed slowest axis first ([D, H, W]), as every size in this catalogue.
 *
 * @throws InvalidInputError when `roi_size` has another rank than the image.
 */
export const centerSpatialCrop = defineTransform({
  name: 'CenterSpatialCropd',
  summary: 'Cuts a roi_size box around the centre voxel of each image (shorter axes kept), recorded for restore.',
  aliases: ['monai.transforms.CenterSpatialCropd', 'aiaa.transforms.CenterSpatialCropd'],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a)) {
      const shape = ctx.getImage(key).spatialShape;
      const roi = targetSize({ transform: 'CenterSpatialCropd', arg: 'roi_size' }, key, shape, a.roi_size);
      applyBox(ctx, key, centerCropBox(shape, roi), 0);
    }
  },
});
