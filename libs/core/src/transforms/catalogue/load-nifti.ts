import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { gridOf } from '../../image/crop';
import { castVoxels } from '../../image/dtype';
import { closestCanonical } from '../../image/orientation';
import { readNifti } from '../../nifti/read-nifti';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';
import type { TransformContext } from '../transform-context';

const args = z.object({
  ...keyArgs,
  /** Reorient to the closest RAS+ axes (nibabel's `as_closest_canonical`); restore undoes it. */
  as_closest_canonical: flag(false),
  /** Voxel datatype after loading; the file's own when absent. */
  dtype: z.enum(['float32']).optional(),
});

/**
 * AIAA's LoadNifti (v3) and MONAI's LoadImaged (v4): puts the request's NIfTI image under each key. An image the
 * server already read under that key is used as it is (no second read of the file); otherwise the file named by
 * context property `<key>_path`, else `image_path`, is read. Paths come only from the server's properties, never from
 * the request's params, so a client cannot make the server open files of its choosing.
 *
 * `as_closest_canonical` permutes and flips the voxel axes so they run closest to R, A, S (the affine stays true) and
 * records the step for RestoreOriginalShape.
 *
 * @throws InvalidInputError when no image or path is available; the reader's InvalidNiftiError / TooLargeError.
 */
export const loadNifti = defineTransform({
  name: 'LoadNifti',
  summary: "Puts the request's NIfTI image under each key, optionally reoriented to the closest RAS axes.",
  aliases: [
    'LoadImage',
    'LoadImaged',
    'LoadNiftid',
    'monai.transforms.LoadImaged',
    'monai.transforms.LoadNiftid',
    'aiaa.transforms.LoadImaged',
    'aiaa.transforms.LoadNifti',
  ],
  args,
  async apply(ctx, a) {
    for (const key of resolveKeys(a)) {
      let image = ctx.findImage(key) ?? (await readFromProperty(ctx, key));
      if (a.dtype) {
        ctx.budget.reserveVoxels(`image '${key}' as ${a.dtype}`, image.shape, a.dtype);
        image = image.with({ voxels: castVoxels(image.voxels, a.dtype) });
      }
      ctx.setImage(key, image);
      if (a.as_closest_canonical) {
        reorientToCanonical(ctx, key);
      }
    }
  },
});

async function readFromProperty(ctx: TransformContext, key: string) {
  const path = ctx.getProperty(`${key}_path`) ?? ctx.getProperty('image_path');
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidInputError(`LoadNifti: no image '${key}' and no property '${key}_path' or 'image_path' to read`);
  }
  // The file is read within what is left of the request's allocation budget.
  const left = ctx.budget.limitBytes - ctx.heldBytes();
  return readNifti(path, {
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(Number.isFinite(left) ? { maxBytes: Math.max(0, left) } : {}),
  });
}

function reorientToCanonical(ctx: TransformContext, key: string): void {
  const image = ctx.getImage(key);
  const { image: canonical, permutation, flipped } = closestCanonical(image);
  if (canonical === image) {
    return;
  }
  ctx.setImage(key, canonical);
  // The step keeps closestCanonical's own convention (per input axis i, j, k: the output axis it became, and
  // whether it was reversed), which is what undoReorientation takes back.
  ctx.recordGeometry(key, { kind: 'reorient', before: gridOf(image), permutation, flipped });
}
