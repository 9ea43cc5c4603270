import { z } from 'zod';
import { applyMat4, invertMat4, multiplyMat4 } from '../../image/affine';
import { appendChannels } from '../../image/append-channels';
import { gridOf } from '../../image/crop';
import { addGaussianBumps, rescaleMinMax } from '../../image/gaussian';
import { labelExtent } from '../../image/label-extent';
import type { MedicalImage } from '../../image/medical-image';
import { type Point3, gridSizeIjk, readPointList } from '../../image/points';
import { originalGrid } from '../geometry-history';
import { spatialRank } from '../../image/shape-format';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';
import type { TransformContext } from '../transform-context';
import { EXTREME_POINTS_MIN } from './crop-by-extreme-points';
import { toCurrentGrid } from './guidance';

const sigma = z.number().positive().max(100);

const args = z.object({
  ...keyArgs,
  image_field: z.string().min(1).optional(),
  /** When this image is in the context, its extreme points are used instead of the request's (MONAI's `label`). */
  label_field: z.string().min(1).optional(),
  /** Request param holding the extreme points. */
  points: z.string().min(1).default('points'),
  /** Gaussian standard deviation in voxels of the current grid, one number or [x, y, z]. */
  sigma: z
    .union([sigma, z.tuple([sigma, sigma, sigma])])
    .transform((v): [number, number, number] => (typeof v === 'number' ? [v, v, v] : v))
    .prefault(3),
  rescale_min: z.number().default(-1),
  rescale_max: z.number().default(1),
});

/**
 * DEXTR3D's extra input channel: a Gaussian bump (`sigma` voxels) at each of the request's extreme `points`, mapped
 * from the input's grid onto the image's current grid (through every recorded crop and resample), summed and
 * rescaled to [rescale_min, rescale_max], appended after the image's channels (a `DHW` image becomes `CDHW` with two
 * channels, recorded as a channel step). The same map as MONAI's `AddExtremePointsChanneld`.
 *
 * @throws InvalidInputError naming `params.points` when fewer than six points come or one lies outside the image.
 */
export const addExtremePointsChannel = defineTransform({
  name: 'AddExtremePointsChannel',
  summary: "Appends DEXTR3D's channel: Gaussian bumps at the request's six extreme points, rescaled.",
  aliases: [
    'AddExtremePointsChanneld',
    'monai.transforms.AddExtremePointsChanneld',
    'aiaa.transforms.AddExtremePointsChanneld',
  ],
  args,
  apply(ctx, a) {
    for (const key of a.image_field ? [a.image_field] : resolveKeys(a)) {
      const image = ctx.getImage(key);
      const rank = spatialRank(image.shapeFormat);
      const [w, h, d] = image.sizeIjk;
      const centres = pointsOnGrid(ctx, key, image, a.label_field, a.points).map(([x, y, z]): Point3 => [
        clamp(x, w),
        clamp(y, h),
        rank === 3 ? clamp(z, d) : 0,
      ]);
      // The heat map and the image with it appended.
      ctx.budget.reserveVoxels(
        `image '${key}' with its extreme-points channel`,
        [image.channels + 2, ...image.spatialShape],
        'float32',
      );
      const heat = new Float32Array(image.spatialSize);
      addGaussianBumps(heat, [d, h, w], centres, a.sigma);
      rescaleMinMax(heat, a.rescale_min, a.rescale_max);
      const out = appendChannels(image, [heat]);
      ctx.setImage(key, out);
      if (out.shapeFormat !== image.shapeFormat) {
        ctx.recordGeometry(key, { kind: 'channels', before: gridOf(image) });
      }
    }
  },
});

/** The extreme points in voxels of `image`'s current grid: from the label when present, else from the request. */
function pointsOnGrid(
  ctx: TransformContext,
  key: string,
  image: MedicalImage,
  labelField: string | undefined,
  param: string,
): Point3[] {
  const label = labelField ? ctx.findImage(labelField) : undefined;
  if (label) {
    const extent = labelExtent(label);
    const toImage = multiplyMat4(invertMat4(image.affine), label.affine);
    return (extent?.extremePoints ?? []).map((p) => applyMat4(toImage, p).map((v) => Math.round(v)) as Point3);
  }
  const min = spatialRank(image.shapeFormat) === 3 ? EXTREME_POINTS_MIN : 4;
  const points = readPointList(ctx.params, param, { min, sizeIjk: gridSizeIjk(originalGrid(ctx, key)) });
  return toCurrentGrid(ctx, key, points);
}

function clamp(v: number, size: number): number {
  return v < 0 ? 0 : v >= size ? size - 1 : v;
}
