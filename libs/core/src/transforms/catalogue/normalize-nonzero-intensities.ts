import { z } from 'zod';
import { VOXEL_CHUNK, type VoxelArray, readVoxelChunk } from '../../image/dtype';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';
import type { TransformContext } from '../transform-context';

interface NormalizeOptions {
  /** Statistics from (and output to) nonzero voxels only; zeros stay 0. */
  nonzero: boolean;
  /** Statistics per channel (channels-first images) rather than over the whole array. */
  channelWise: boolean;
}

/**
 * Z-score: `(v − mean) / std` with the population standard deviation (numpy's `std`, ddof 0), as AIAA's
 * NormalizeNonzeroIntensities and MONAI's NormalizeIntensity. With `nonzero`, mean and std come from the nonzero voxels
 * and zeros stay 0. A std of 0 divides by 1 (MONAI does the same); no voxel to measure leaves values as they are.
 * Output is float32: one pass for the statistics, one to write.
 */
export function normalizeIntensities(voxels: VoxelArray, channels: number, options: NormalizeOptions): Float32Array {
  const out = new Float32Array(voxels.length);
  const groups = options.channelWise ? channels : 1;
  const size = voxels.length / groups;
  for (let g = 0; g < groups; g++) {
    const src = voxels.subarray(g * size, (g + 1) * size);
    const dst = out.subarray(g * size, (g + 1) * size);
    normalizeGroup(src, dst, options.nonzero);
  }
  return out;
}

function normalizeGroup(src: VoxelArray, dst: Float32Array, nonzero: boolean): void {
  // Both passes read float64 chunks of `src` so their loops see one element kind whatever the input dtype.
  const scratch = new Float64Array(VOXEL_CHUNK);
  // Sums are taken around a shift (the first measured value) so that the variance does not cancel catastrophically
  // when the mean is large next to the spread (CT around −1000 HU).
  let shift = Number.NaN;
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  for (let start = 0; start < src.length; start += VOXEL_CHUNK) {
    const length = readVoxelChunk(src, start, scratch);
    for (let i = 0; i < length; i++) {
      const v = scratch[i] as number;
      if (nonzero && v === 0) {
        continue;
      }
      if (count === 0) {
        shift = v;
      }
      const d = v - shift;
      sum += d;
      sumSq += d * d;
      count++;
    }
  }
  if (count === 0) {
    dst.set(src);
    return;
  }
  const mean = shift + sum / count;
  const variance = Math.max(0, (sumSq - (sum * sum) / count) / count);
  const std = Math.sqrt(variance);
  const inverse = std > 0 ? 1 / std : 1;
  for (let start = 0; start < src.length; start += VOXEL_CHUNK) {
    const length = readVoxelChunk(src, start, scratch);
    if (nonzero) {
      for (let i = 0; i < length; i++) {
        const v = scratch[i] as number;
        dst[start + i] = v === 0 ? 0 : (v - mean) * inverse;
      }
    } else {
      for (let i = 0; i < length; i++) {
        dst[start + i] = ((scratch[i] as number) - mean) * inverse;
      }
    }
  }
}

function run(ctx: TransformContext, keys: string[], options: NormalizeOptions): void {
  for (const key of keys) {
    const image = ctx.getImage(key);
    const channelsFirst = image.shapeFormat.startsWith('C');
    // Channel-wise statistics need each channel contiguous; a channels-last image is measured as a whole.
    const channels = channelsFirst ? image.channels : 1;
    ctx.budget.reserveVoxels(`image '${key}' normalized`, image.shape, 'float32');
    ctx.setImage(key, image.with({ voxels: normalizeIntensities(image.voxels, channels, options) }));
  }
}

/** AIAA's NormalizeNonzeroIntensities (v3): z-score over the nonzero voxels, per channel. */
export const normalizeNonzeroIntensities = defineTransform({
  name: 'NormalizeNonzeroIntensities',
  aliases: ['aiaa.transforms.NormalizeNonzeroIntensities'],
  args: z.object({ ...keyArgs }),
  apply(ctx, a) {
    run(ctx, resolveKeys(a), { nonzero: true, channelWise: true });
  },
});

/** MONAI's NormalizeIntensityd (v4) with its defaults: z-score over all voxels unless `nonzero`, `channel_wise`. */
export const normalizeIntensity = defineTransform({
  name: 'NormalizeIntensityd',
  aliases: ['monai.transforms.NormalizeIntensityd', 'aiaa.transforms.NormalizeIntensityd'],
  args: z.object({ ...keyArgs, nonzero: flag(false), channel_wise: flag(false) }),
  apply(ctx, a) {
    run(ctx, resolveKeys(a), { nonzero: a.nonzero, channelWise: a.channel_wise });
  },
});
