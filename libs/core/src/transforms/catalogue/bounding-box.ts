import { z } from 'zod';
import { labelExtent } from '../../image/label-extent';
import type { Point3 } from '../../image/points';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';
import { toOriginalGrid } from './fetch-extreme-points';

const args = z.object({
  ...keyArgs,
  label_field: z.string().min(1).optional(),
  image_field: z.string().min(1).default('image'),
  /** Name of the field in the result JSON. */
  bbox: z.string().min(1).default('bbox'),
  result: z.string().min(1).default('result'),
});

/**
 * The bounding box of the model's mask put into the result JSON as `bbox`: `[[x0, y0, z0], [x1, y1, z1]]`, the
 * first and last (inclusive) voxel indices of the non-zero voxels in the grid of the image the client sent, the
 * same [x, y, z] form as `points`. An empty mask gives an empty list.
 */
export const boundingBox = defineTransform({
  name: 'BoundingBox',
  summary: "Adds the label's bounding box to the reply's JSON result.",
  aliases: ['BoundingBoxd', 'aiaa.transforms.BoundingBoxd', 'aiaa.transforms.BoundingBox'],
  args,
  apply(ctx, a) {
    const labelField = a.label_field ?? resolveKeys(a, ['model'])[0] ?? 'model';
    const extent = labelExtent(ctx.getImage(labelField));
    if (!extent) {
      ctx.result(a.result)[a.bbox] = [];
      return;
    }
    // Map both corners; a flip or axis swap between the grids can exchange them, so sort per axis afterwards.
    const [p, q] = toOriginalGrid(ctx, labelField, a.image_field, [extent.min, extent.max]) as [Point3, Point3];
    const lo = [0, 1, 2].map((i) => Math.min(p[i] as number, q[i] as number));
    const hi = [0, 1, 2].map((i) => Math.max(p[i] as number, q[i] as number));
    ctx.result(a.result)[a.bbox] = [lo, hi];
  },
});
