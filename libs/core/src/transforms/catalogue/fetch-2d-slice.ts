import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { cropOrPad, gridOf } from '../../image/crop';
import type { ShapeFormat } from '../../image/shape-format';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';
import { guidanceArg, guidanceSpec, readGuidance, toCurrentGrid } from './guidance';

const args = z.object({
  ...keyArgs,
  guidance: guidanceArg,
  /** Slices are along z (the `D` axis), as MONAI's default. */
  axis: z.literal(0).default(0),
});

const SLICED: Partial<Record<ShapeFormat, ShapeFormat>> = { DHW: 'HW', CDHW: 'CHW' };

/**
 * Deepgrow 2D: keeps the slice of the clicks (see AddGuidanceFromPointsd) of each 3-D image, `DHW` → `HW` and
 * `CDHW` → `CHW`. The slice is recorded as a crop of depth 1 at its z (before: the 3-D grid), and the 2-D image keeps
 * the affine's k column, so its voxel (i, j) still sits at (i, j, 0) of that slice: clicks map onto it exactly and
 * RestoreOriginalShape puts the 2-D mask back on its slice.
 *
 * @throws InvalidInputError when the guidance is 3-D, or an image is not 3-D.
 */
export const fetch2DSlice = defineTransform({
  name: 'Fetch2DSliced',
  summary: 'Keeps the one slice the deepgrow 2D clicks lie on (DHW to HW), recorded for restore.',
  aliases: ['monai.apps.deepgrow.transforms.Fetch2DSliced', 'aiaa.transforms.Fetch2DSliced'],
  args,
  apply(ctx, a) {
    const spec = guidanceSpec(ctx, a.guidance);
    const { slice } = readGuidance(ctx, spec);
    if (slice === undefined) {
      throw new InvalidInputError(
        `Fetch2DSliced: guidance '${a.guidance}' is 3-D; use AddGuidanceFromPointsd dimensions 2`,
      );
    }
    for (const key of resolveKeys(a)) {
      const image = ctx.getImage(key);
      const format = SLICED[image.shapeFormat];
      if (!format) {
        throw new InvalidInputError(`Fetch2DSliced: image '${key}' is ${image.shapeFormat}, expected DHW or CDHW`);
      }
      const [d, h, w] = image.spatialShape as [number, number, number];
      const z = (toCurrentGrid(ctx, key, [[0, 0, slice]])[0] as [number, number, number])[2];
      if (z < 0 || z >= d) {
        throw new InvalidInputError(
          `Fetch2DSliced: slice ${slice} of the input lies outside image '${key}' (${d} slices)`,
        );
      }
      const startDhw = [z, 0, 0];
      const sizeDhw = [1, h, w];
      const plane = cropOrPad(image, startDhw, sizeDhw, 0, ctx.budget);
      const shape = format === 'HW' ? [h, w] : [image.channels, h, w];
      ctx.setImage(key, plane.with({ shape, shapeFormat: format }));
      ctx.recordGeometry(key, { kind: 'crop', before: gridOf(image), startDhw, sizeDhw });
    }
  },
});
