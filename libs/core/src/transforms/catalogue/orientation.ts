import { z } from 'zod';
import { gridOf } from '../../image/crop';
import { closestCanonical, parseAxisCodes, reorientToCodes } from '../../image/orientation';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

const args = z
  .object({
    ...keyArgs,
    /** Where voxel axes i, j, k must run, as nibabel's letters: `RAS`, `LIA` (FreeSurfer's conformed), `LPS`. */
    axcodes: z
      .string()
      .refine(
        (codes) => {
          try {
            parseAxisCodes(codes);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'must be three letters, one each of L/R, P/A and I/S (e.g. RAS, LIA)' },
      )
      .optional(),
    /** MONAI: reorient to the closest RAS+ axes; `axcodes` is then ignored, as MONAI does. */
    as_closest_canonical: flag(false),
  })
  .refine((a) => a.axcodes !== undefined || a.as_closest_canonical, {
    message: 'axcodes is required (or as_closest_canonical: true)',
    path: ['axcodes'],
  });

/**
 * MONAI's Orientationd: flips and permutes the voxel axes, without resampling, so that i, j, k run towards the letters
 * of `axcodes` (`LIA`: i towards Left, j towards Inferior, k towards Anterior), or closest to RAS+ with
 * `as_closest_canonical`. The affine stays true (every voxel keeps its world position); channels move with their
 * voxels. The step is recorded, so RestoreOriginalShape puts a model output back on the input's axes.
 *
 * @throws InvalidInputError for a 2-D or channels-last image, or an affine with an axis of no extent.
 */
export const orientation = defineTransform({
  name: 'Orientationd',
  summary:
    'Flips and permutes the voxel axes towards axcodes (or closest to RAS+) without resampling, recorded for restore.',
  aliases: ['monai.transforms.Orientationd', 'aiaa.transforms.Orientationd'],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a)) {
      const image = ctx.getImage(key);
      const {
        image: out,
        permutation,
        flipped,
      } = a.as_closest_canonical || a.axcodes === undefined
        ? closestCanonical(image)
        : reorientToCodes(image, a.axcodes);
      if (out === image) {
        continue;
      }
      ctx.setImage(key, out);
      ctx.recordGeometry(key, { kind: 'reorient', before: gridOf(image), permutation, flipped });
    }
  },
});
