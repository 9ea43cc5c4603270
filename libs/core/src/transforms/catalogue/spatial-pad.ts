import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { cropOrPad, gridOf } from '../../image/crop';
import { fallBackSizes, keyArgs, resolveKeys, spatialSizeArg } from '../args';
import { defineTransform } from '../transform';
import type { TransformContext } from '../transform-context';

/** A box to cut out of (or pad around) an image: first voxel (negative where padded) and size, slowest axis first. */
export interface Box {
  readonly startDhw: readonly number[];
  readonly sizeDhw: readonly number[];
}

/** MONAI's pad placement: split between both ends (the odd voxel at the end), or all at the end. */
export type PadMethod = 'symmetric' | 'end';

/** The arguments SpatialPadd shares with ResizeWithPadOrCropd. */
export const padArgs = {
  /** `symmetric` (MONAI's default) pads both ends, the extra voxel of an odd width at the end; `end` pads after. */
  method: z.enum(['symmetric', 'end']).default('symmetric'),
  /** Only constant padding is implemented (MONAI's default); other modes are refused at config load. */
  mode: z.enum(['constant']).default('constant'),
  /** The padding value (MONAI passes it to the pad function as `value`). */
  value: z.number().default(0),
};

/**
 * MONAI's SpatialPad placement: each axis shorter than `target` grows to it, `width // 2` voxels before and the rest
 * after (`symmetric`), or all after (`end`); longer axes are left as they are.
 */
export function padBox(spatialShape: readonly number[], target: readonly number[], method: PadMethod): Box {
  const startDhw = spatialShape.map((n, axis) => {
    const width = Math.max((target[axis] as number) - n, 0);
    return method === 'symmetric' && width > 1 ? -Math.floor(width / 2) : 0;
  });
  const sizeDhw = spatialShape.map((n, axis) => Math.max(n, target[axis] as number));
  return { startDhw, sizeDhw };
}

/**
 * Cuts `box` out of image `key` (padding with `value`), and records it so RestoreOriginalShape cuts the model output
 * back to the image's grid. Does nothing, and records nothing, when the box is the whole image.
 */
export function applyBox(ctx: TransformContext, key: string, box: Box, value: number): void {
  const image = ctx.getImage(key);
  const shape = image.spatialShape;
  if (box.startDhw.every((s) => s === 0) && box.sizeDhw.every((s, axis) => s === shape[axis])) {
    return;
  }
  ctx.setImage(key, cropOrPad(image, box.startDhw, box.sizeDhw, value, ctx.budget));
  ctx.recordGeometry(key, { kind: 'crop', before: gridOf(image), startDhw: box.startDhw, sizeDhw: box.sizeDhw });
}

/** The target size of image `key`, or an InvalidInputError naming the transform, the size and the image's shape. */
export function targetSize(
  where: { readonly transform: string; readonly arg: string },
  key: string,
  spatialShape: readonly number[],
  wanted: number | readonly number[],
): number[] {
  const target = fallBackSizes(spatialShape, wanted);
  if (!target) {
    throw new InvalidInputError(
      `${where.transform}: ${where.arg} [${String(wanted)}] does not fit image '${key}' of spatial shape [${spatialShape.join(', ')}]`,
    );
  }
  return target;
}

const args = z.object({
  ...keyArgs,
  /** The least spatial size, slowest axis first; a size ≤ 0 keeps the image's (MONAI's `-1`). */
  spatial_size: spatialSizeArg,
  ...padArgs,
});

/**
 * MONAI's SpatialPadd: pads each image in `keys` (channels first, every channel alike) to at least `spatial_size`,
 * constant `value` (0) outside, `symmetric`ally or at the `end`; an axis already as long stays untouched. The affine
 * follows (voxel 0 moves to the first padded voxel), and the step is recorded for RestoreOriginalShape.
 *
 * Sizes are listed slowest axis first ([D, H, W]), as every size in this catalogue (Resized, the inference `roi`).
 *
 * @throws InvalidInputError when `spatial_size` has another rank than the image.
 */
export const spatialPad = defineTransform({
  name: 'SpatialPadd',
  summary:
    'Pads each image to at least spatial_size with a constant, symmetrically or at the end, recorded for restore.',
  aliases: ['monai.transforms.SpatialPadd', 'aiaa.transforms.SpatialPadd'],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a)) {
      const shape = ctx.getImage(key).spatialShape;
      const target = targetSize({ transform: 'SpatialPadd', arg: 'spatial_size' }, key, shape, a.spatial_size);
      applyBox(ctx, key, padBox(shape, target, a.method), a.value);
    }
  },
});
