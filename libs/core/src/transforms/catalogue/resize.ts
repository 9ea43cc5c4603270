import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { gridOf } from '../../image/crop';
import { resampleToShape } from '../../image/resample';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

const size = z.number().int().min(-1).max(4096);

const args = z.object({
  ...keyArgs,
  /** New spatial size, slowest axis first ([D, H, W] or [H, W]); -1 keeps an axis; one number for every axis. */
  spatial_size: z.union([size, z.array(size).min(2).max(3)]),
  /** `all` sets every axis; `longest` scales the image so that its longest axis gets `spatial_size`. */
  size_mode: z.enum(['all', 'longest']).default('all'),
  mode: z.enum(['nearest', 'nearest-exact', 'linear', 'bilinear', 'trilinear', 'bicubic', 'area']).default('area'),
  align_corners: z.boolean().nullable().optional(),
});

/**
 * MONAI's Resized, used by the deepgrow configs between SpatialCropGuidanced and ResizeGuidanced: each image in
 * `keys` is resampled to `spatial_size` (channels first, each channel alike) and the resample is recorded, so the
 * clicks and RestoreOriginalShape follow it. The grid convention is the project's one (corner voxel centres kept,
 * as ScaleByResolution), so restore undoes it exactly; `nearest` modes keep labels, every other mode (MONAI's
 * default `area`, `bilinear`, `trilinear`, `bicubic`) is trilinear, an approximation of `area` when shrinking.
 *
 * @throws InvalidInputError when `spatial_size` has another rank than the image or the image is channels-last.
 */
export const resize = defineTransform({
  name: 'Resized',
  summary: 'Resamples each image to a spatial size (nearest for labels, else trilinear), recorded for restore.',
  aliases: ['monai.transforms.Resized', 'aiaa.transforms.Resized'],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a)) {
      const image = ctx.getImage(key);
      const shape = image.spatialShape;
      const target = targetShape(shape, a.spatial_size, a.size_mode);
      if (target.length !== shape.length) {
        throw new InvalidInputError(
          `Resized: spatial_size [${String(a.spatial_size)}] does not fit image '${key}' of spatial shape [${shape.join(', ')}]`,
        );
      }
      if (target.join() === shape.join()) {
        continue;
      }
      const mode = a.mode === 'nearest' || a.mode === 'nearest-exact' ? 'nearest' : 'linear';
      ctx.setImage(key, resampleToShape(image, target, mode, ctx.budget));
      ctx.recordGeometry(key, { kind: 'resample', before: gridOf(image) });
    }
  },
});

function targetShape(
  shape: readonly number[],
  wanted: number | readonly number[],
  sizeMode: 'all' | 'longest',
): number[] {
  if (sizeMode === 'longest') {
    const longest = typeof wanted === 'number' ? wanted : (wanted[0] ?? -1);
    const scale = longest / Math.max(...shape);
    return longest < 1 ? [...shape] : shape.map((s) => Math.max(1, Math.round(s * scale)));
  }
  const sizes = typeof wanted === 'number' ? shape.map(() => wanted) : [...wanted];
  return sizes.map((s, axis) => (s === -1 || s === 0 ? (shape[axis] ?? s) : s));
}
