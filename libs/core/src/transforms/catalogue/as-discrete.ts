import { z } from 'zod';
import type { VoxelArray } from '../../image/dtype';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';
import { argmaxAcrossChannels } from './argmax-across-channels';

const args = z.object({
  ...keyArgs,
  argmax: flag(false),
  /** MONAI ≥ 0.8: threshold value; voxels `>=` it become 1. */
  threshold: z.number().optional(),
  /** MONAI < 0.8 (Clara v4 configs): threshold at `logit_thresh` when true. */
  threshold_values: flag(false),
  logit_thresh: z.number().default(0.5),
});

/** `v >= threshold ? 1 : 0` per voxel, uint8 out (MONAI gives float 0/1; a label map needs no more). */
export function thresholdVoxels(src: VoxelArray, threshold: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    out[i] = (src[i] as number) >= threshold ? 1 : 0;
  }
  return out;
}

/**
 * MONAI's AsDiscreted: `argmax` across channels (keeping a channel axis of 1), then a threshold (`threshold`, or
 * `threshold_values` with `logit_thresh`), in MONAI's order. The deepgrow post-transforms use it after a sigmoid.
 */
export const asDiscrete = defineTransform({
  name: 'AsDiscreted',
  summary: 'Takes the argmax across channels and/or thresholds the values into a uint8 mask.',
  aliases: ['AsDiscrete', 'monai.transforms.AsDiscreted', 'aiaa.transforms.AsDiscreted'],
  args,
  apply(ctx, a) {
    const threshold = a.threshold ?? (a.threshold_values ? a.logit_thresh : undefined);
    for (const key of resolveKeys(a, ['model'])) {
      let image = ctx.getImage(key);
      if (a.argmax) {
        ctx.budget.reserveVoxels(`image '${key}' after argmax`, image.spatialShape, 'uint16');
        image = argmaxAcrossChannels(image, true);
      }
      if (threshold !== undefined) {
        ctx.budget.reserveVoxels(`image '${key}' thresholded`, image.shape, 'uint8');
        image = image.with({ voxels: thresholdVoxels(image.voxels, threshold) });
      }
      ctx.setImage(key, image);
    }
  },
});
