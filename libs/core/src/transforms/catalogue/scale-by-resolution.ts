import { z } from 'zod';
import { gridOf } from '../../image/crop';
import { type ResampleMode, resampleToSpacing } from '../../image/resample';
import { spatialRank } from '../../image/shape-format';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

/** Three spacings (x, y, z), or two (x, y) that keep the slice spacing: deepgrow 2D's `pixdim: [1.0, 1.0]`. */
const spacing = z.array(z.number().positive()).min(2).max(3);

const modeName = z.enum(['nearest', 'linear', 'bilinear', 'trilinear']);

const args = z
  .object({
    ...keyArgs,
    /** Target voxel size in mm along x, y, z (v3); two values (x, y) resample in-plane only. */
    target_resolution: spacing.optional(),
    /** Same, MONAI Spacingd's name (v4; deepgrow 2D gives two). */
    pixdim: spacing.optional(),
    /** Labels are resampled with nearest neighbour so they stay labels (v3). */
    is_label: flag(false),
    /** MONAI's interpolation name, one for all keys or one per key (v4); wins over `is_label`. */
    mode: z.union([modeName, z.array(modeName).min(1)]).optional(),
  })
  .refine((a) => a.target_resolution ?? a.pixdim, {
    message: 'target_resolution (or pixdim) is required',
    path: ['target_resolution'],
  });

/**
 * Resamples images to a voxel spacing in mm, as AIAA's ScaleByResolution and MONAI's Spacingd: trilinear (float32
 * out) or nearest for labels (dtype kept).
 *
 * Resampling convention: corner-aligned, as `scipy.ndimage.zoom(order=1|0)` used by ScaleByResolution: the centres of
 * the first and last voxels along each axis stay in place, so the new size is `round(size · spacing / target)` and the
 * exact new spacing `spacing · (in − 1) / (out − 1)` is written to the affine. Chosen because it is what AIAA's models
 * were trained with, and because it maps the original corners onto voxels exactly, which keeps restore exact at integer
 * factors. The step is recorded so RestoreOriginalShape can resample back to the recorded grid.
 */
export const scaleByResolution = defineTransform({
  name: 'ScaleByResolution',
  summary: 'Resamples images to a voxel spacing in mm (corner-aligned, as scipy zoom), recorded for restore.',
  aliases: ['Spacingd', 'monai.transforms.Spacingd', 'aiaa.transforms.Spacingd', 'aiaa.transforms.ScaleByResolution'],
  args,
  apply(ctx, a) {
    const given = (a.target_resolution ?? a.pixdim) as readonly number[];
    resolveKeys(a).forEach((key, index) => {
      const image = ctx.getImage(key);
      const target = given.length === 3 ? given : [given[0] as number, given[1] as number, image.spacingMm[2]];
      const named = Array.isArray(a.mode) ? a.mode[Math.min(index, a.mode.length - 1)] : a.mode;
      const mode: ResampleMode = named
        ? named === 'nearest'
          ? 'nearest'
          : 'linear'
        : a.is_label
          ? 'nearest'
          : 'linear';
      const size = image.sizeIjk;
      const spacing = image.spacingMm;
      // The size resampleToSpacing picks; when it equals the current one, corner alignment makes it an identity.
      const ijk = [0, 1, 2].map((i) =>
        Math.max(1, Math.round((size[i] as number) * ((spacing[i] as number) / (target[i] as number)))),
      );
      const same =
        spatialRank(image.shapeFormat) === 3
          ? ijk.every((s, i) => s === size[i])
          : ijk[0] === size[0] && ijk[1] === size[1];
      if (same) {
        return;
      }
      const out = resampleToSpacing(image, target, mode, ctx.budget);
      ctx.setImage(key, out);
      ctx.recordGeometry(key, { kind: 'resample', before: gridOf(image) });
    });
  },
});
