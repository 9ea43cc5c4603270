import { z } from 'zod';
import { applyMat4, invertMat4, multiplyMat4 } from '../../image/affine';
import { labelExtent } from '../../image/label-extent';
import { type Point3, gridSizeIjk } from '../../image/points';
import { originalGrid } from '../geometry-history';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';
import type { TransformContext } from '../transform-context';

const args = z.object({
  ...keyArgs,
  /** v3: the label (model output) to measure. */
  label_field: z.string().min(1).optional(),
  /** v3: the input image whose original grid the points are given in. */
  image_field: z.string().min(1).default('image'),
  /** Name of the field in the result JSON. */
  points: z.string().min(1).default('points'),
  /** v4: the property holding the result JSON. */
  result: z.string().min(1).default('result'),
});

/**
 * The six extreme points of the model's mask (smallest and largest x, y, z; see `labelExtent`) put into the result
 * JSON as `points`, [x, y, z] voxel indices of the image the client sent, as AIAA's segmentation replies carry them.
 * An empty mask gives an empty list.
 */
export const fetchExtremePoints = defineTransform({
  name: 'FetchExtremePoints',
  summary: "Adds the label's six extreme points to the reply's JSON result.",
  aliases: ['ExtremePointsd', 'aiaa.transforms.ExtremePointsd', 'aiaa.transforms.FetchExtremePoints'],
  args,
  apply(ctx, a) {
    const labelField = a.label_field ?? resolveKeys(a, ['model'])[0] ?? 'model';
    const extent = labelExtent(ctx.getImage(labelField));
    ctx.result(a.result)[a.points] = extent ? toOriginalGrid(ctx, labelField, a.image_field, extent.extremePoints) : [];
  },
});

/**
 * Maps voxel positions of image `labelField` to the grid of the image the client sent: through the label's affine
 * to millimetres, then through the original grid of `imageField` (before any crop or resample) back to voxels,
 * rounded to the nearest voxel and kept inside that grid. Without `imageField` in the context, the label's own
 * original grid is used.
 */
export function toOriginalGrid(
  ctx: TransformContext,
  labelField: string,
  imageField: string,
  points: readonly Point3[],
): Point3[] {
  const label = ctx.getImage(labelField);
  const known = ctx.hasImage(imageField) || ctx.geometryHistory(imageField).steps.length > 0;
  const target = originalGrid(ctx, known ? imageField : labelField);
  const toTarget = multiplyMat4(invertMat4(target.affine), label.affine);
  const size = gridSizeIjk(target);
  return points.map((p) => {
    const q = applyMat4(toTarget, p);
    return [0, 1, 2].map((a) => Math.min((size[a] as number) - 1, Math.max(0, Math.round(q[a] as number)))) as Point3;
  });
}
