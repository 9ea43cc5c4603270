import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { cropOrPad, gridOf } from '../../image/crop';
import { readSizeList } from '../../image/points';
import { spatialRank } from '../../image/shape-format';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';
import { guidanceArg, guidanceSpec, readGuidance, toCurrentGrid } from './guidance';

const size = z.number().int().min(1).max(4096);

const args = z.object({
  ...keyArgs,
  guidance: guidanceArg,
  /** Smallest crop, slowest axis first ([D, H, W] or [H, W]); a 2-entry size on a 3-D image keeps every slice. */
  spatial_size: z.array(size).min(2).max(3),
  /** Voxels added around the clicks' box on every side. */
  margin: z.number().int().min(0).max(4096).default(20),
});

/**
 * Deepgrow's crop around the clicks, as MONAI's SpatialCropGuidanced: the box of all foreground and background clicks
 * (mapped onto the current grid) grown by `margin` voxels and kept inside the image; when that box is smaller than
 * `spatial_size` on every axis, a `spatial_size` box centred on it is cut instead (moved off the low border, clipped at
 * the high one). The request's `spatial_size` param, when sent, replaces the configured one. Every image in `keys` is
 * cut the same way and the crop is recorded for RestoreOriginalShape. Unlike MONAI, deepgrow 3D's box is centred in
 * depth too (MONAI starts it at slice 0), and clicks stay in the input's voxels, so nothing is rewritten here.
 *
 * @throws InvalidInputError naming `params.spatial_size` when it is not one positive size per axis.
 */
export const spatialCropGuidance = defineTransform({
  name: 'SpatialCropGuidanced',
  summary: 'Cuts the box around the deepgrow clicks (at least spatial_size), recorded for restore.',
  aliases: ['monai.apps.deepgrow.transforms.SpatialCropGuidanced', 'aiaa.transforms.SpatialCropGuidanced'],
  args,
  apply(ctx, a) {
    const keys = resolveKeys(a);
    const first = ctx.getImage(keys[0] ?? 'image');
    const rank = spatialRank(first.shapeFormat);
    const shape = first.spatialShape;
    const guidance = readGuidance(ctx, guidanceSpec(ctx, a.guidance));
    // Clicks as [D, H, W] (or [H, W]) indices of the current grid.
    const clicks = toCurrentGrid(ctx, keys[0] ?? 'image', [...guidance.foreground, ...guidance.background]).map(
      ([x, y, z]) => (rank === 3 ? [z, y, x] : [y, x]),
    );
    const wanted = readSizeList(ctx.params, 'spatial_size', rank) ?? fitRank(a.spatial_size, shape);
    const start: number[] = [];
    const end: number[] = [];
    for (let axis = 0; axis < rank; axis++) {
      const values = clicks.map((c) => c[axis] as number);
      start.push(Math.max(0, Math.min(...values) - a.margin));
      end.push(Math.min(shape[axis] as number, Math.max(...values) + a.margin + 1));
    }
    if (start.every((s, axis) => (end[axis] as number) - s < (wanted[axis] as number))) {
      for (let axis = 0; axis < rank; axis++) {
        const centre = Math.floor(((start[axis] as number) + (end[axis] as number)) / 2);
        start[axis] = Math.max(0, centre - Math.floor((wanted[axis] as number) / 2));
        end[axis] = Math.min(shape[axis] as number, (start[axis] as number) + (wanted[axis] as number));
      }
    }
    if (start.some((s, axis) => s >= (end[axis] as number))) {
      throw new InvalidInputError(`SpatialCropGuidanced: the clicks lie outside image '${keys[0] ?? 'image'}'`);
    }
    const sizes = start.map((s, axis) => (end[axis] as number) - s);
    for (const key of keys) {
      const image = ctx.getImage(key);
      if (image.spatialShape.join() !== shape.join()) {
        throw new InvalidInputError(
          `SpatialCropGuidanced: image '${key}' is [${image.spatialShape.join(', ')}], expected [${shape.join(', ')}] like '${keys[0] ?? 'image'}'`,
        );
      }
      ctx.setImage(key, cropOrPad(image, start, sizes, 0, ctx.budget));
      ctx.recordGeometry(key, { kind: 'crop', before: gridOf(image), startDhw: start, sizeDhw: sizes });
    }
  },
});

/** MONAI's rule: a size with fewer axes than the image takes the leading axes whole, one with more drops its first. */
function fitRank(size: readonly number[], shape: readonly number[]): number[] {
  if (size.length >= shape.length) {
    return size.slice(size.length - shape.length);
  }
  return [...shape.slice(0, shape.length - size.length), ...size];
}
