import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { cropOrPad, gridOf } from '../../image/crop';
import { gridSizeIjk, readPointList } from '../../image/points';
import { originalGrid } from '../geometry-history';
import { resampleToShape } from '../../image/resample';
import { spatialRank } from '../../image/shape-format';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';
import { toCurrentGrid } from './guidance';

/** DEXTR3D needs the six extreme points of the organ. */
export const EXTREME_POINTS_MIN = 6;

const size = z.number().int().min(1).max(4096);

const args = z.object({
  ...keyArgs,
  /** v3: the image to crop (same as `fields`). */
  image_field: z.string().min(1).optional(),
  /** Request param holding the extreme points. */
  points: z.string().min(1).default('points'),
  /** Margin around the points' box, in mm (converted per axis with the image's spacing, truncated to voxels). */
  pad: z.number().min(0).max(1000).default(20),
  /** Size the crop is resampled to, [x, y, z] voxels as AIAA's `roi` (one number for a cube). */
  roi: z
    .union([size, z.tuple([size, size, size])])
    .transform((v): [number, number, number] => (typeof v === 'number' ? [v, v, v] : v))
    .prefault(128),
  /** Nearest-neighbour resampling (for label fields) instead of trilinear. */
  is_label: flag(false),
});

/**
 * DEXTR3D's server-side pre-processing, as AIAA's clients do it before sending (`image_pre_process`): the box of the
 * request's extreme `points` (mapped from the input's grid onto the current one), grown by `pad` mm on every side
 * and kept inside the image, is cut out and resampled to `roi`. Both steps are recorded, so RestoreOriginalShape
 * puts the model's mask back on the input grid, and AddExtremePointsChannel maps the points through them.
 *
 * @throws InvalidInputError naming `params.points` when fewer than six points come, or one lies outside the image.
 */
export const cropByExtremePoints = defineTransform({
  name: 'CropByExtremePoints',
  summary: "Cuts the box of the request's extreme points (plus a margin in mm) and resamples it to roi.",
  aliases: ['SpatialCrop', 'aiaa.transforms.CropByExtremePoints', 'aiaa.transforms.SpatialCropByExtremePointsd'],
  args,
  apply(ctx, a) {
    const keys = a.image_field ? [a.image_field] : resolveKeys(a);
    const ref = keys[0] ?? 'image';
    const points = readPointList(ctx.params, a.points, {
      min: EXTREME_POINTS_MIN,
      sizeIjk: gridSizeIjk(originalGrid(ctx, ref)),
    });
    const image = ctx.getImage(ref);
    if (spatialRank(image.shapeFormat) !== 3) {
      throw new InvalidInputError(`CropByExtremePoints: image '${ref}' is ${image.shapeFormat}, expected a 3-D image`);
    }
    const current = toCurrentGrid(ctx, ref, points);
    const spacing = image.spacingMm;
    const sizeIjk = image.sizeIjk;
    const lo = [0, 0, 0];
    const hi = [0, 0, 0];
    for (let axis = 0; axis < 3; axis++) {
      const padVoxels = Math.floor(a.pad / (spacing[axis] as number));
      const values = current.map((p) => p[axis] as number);
      lo[axis] = Math.max(0, Math.min(...values) - padVoxels);
      hi[axis] = Math.min((sizeIjk[axis] as number) - 1, Math.max(...values) + padVoxels);
    }
    const startDhw = [lo[2], lo[1], lo[0]] as number[];
    const sizeDhw = [0, 1, 2].map((i) => (hi[2 - i] as number) - (lo[2 - i] as number) + 1);
    const [rx, ry, rz] = a.roi;
    const roiDhw = [rz, ry, rx];
    for (const key of keys) {
      const before = ctx.getImage(key);
      const cropped = cropOrPad(before, startDhw, sizeDhw, 0, ctx.budget);
      ctx.setImage(key, cropped);
      ctx.recordGeometry(key, { kind: 'crop', before: gridOf(before), startDhw, sizeDhw });
      ctx.throwIfCancelled();
      ctx.setImage(key, resampleToShape(cropped, roiDhw, a.is_label ? 'nearest' : 'linear', ctx.budget));
      ctx.recordGeometry(key, { kind: 'resample', before: gridOf(cropped) });
    }
  },
});
