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
  /** MONAI's `subtrahend`: subtracted instead of the mean (one value, or one per channel with `channelWise`). */
  subtrahend?: number | readonly number[] | undefined;
  /** MONAI's `divisor`: divided by instead of the standard deviation (same forms). */
  divisor?: number | readonly number[] | undefined;
}

/**
 * Z-score: `(v − mean) / std` with the population standard deviation (numpy's `std`, ddof 0), as AIAA's
 * NormalizeNonzeroIntensities and MONAI's NormalizeIntensity; a given `subtrahend` or `divisor` replaces the mean or
 * the std (MONAI's fixed normalisation, e.g. deepgrow's `(v − 208) / 388`). With `nonzero`, the statistics come from
 * the nonzero voxels and zeros stay 0. A divisor of 0 divides by 1 (MONAI does the same); no voxel to measure leaves
 * values as they are. Output is float32: one pass for the statistics (when needed), one to write.
 */
export function normalizeIntensities(voxels: VoxelArray, channels: number, options: NormalizeOptions): Float32Array {
  const out = new Float32Array(voxels.length);
  const groups = options.channelWise ? channels : 1;
  const size = voxels.length / groups;
  for (let g = 0; g < groups; g++) {
    const src = voxels.subarray(g * size, (g + 1) * size);
    const dst = out.subarray(g * size, (g + 1) * size);
    const fixed = { subtrahend: pick(options.subtrahend, g), divisor: pick(options.divisor, g) };
    normalizeGroup(src, dst, options.nonzero, fixed);
  }
  return out;
}

/** The value of group `g`: one number for all, or the g-th of a list. */
function pick(value: number | readonly number[] | undefined, g: number): number | undefined {
  return typeof value === 'number' || value === undefined ? value : value[g];
}

function normalizeGroup(
  src: VoxelArray,
  dst: Float32Array,
  nonzero: boolean,
  fixed: { subtrahend: number | undefined; divisor: number | undefined },
): void {
  // Both passes read float64 chunks of `src` so their loops see one element kind whatever the input dtype.
  const scratch = new Float64Array(VOXEL_CHUNK);
  const measure = fixed.subtrahend === undefined || fixed.divisor === undefined;
  // Sums are taken around a shift (the first measured value) so that the variance does not cancel catastrophically
  // when the mean is large next to the spread (CT around −1000 HU).
  let shift = Number.NaN;
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  for (let start = 0; measure && start < src.length; start += VOXEL_CHUNK) {
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
  if (count === 0 && (fixed.subtrahend === undefined || fixed.divisor === undefined)) {
    dst.set(src);
    return;
  }
  const mean = fixed.subtrahend ?? shift + sum / count;
  const std = fixed.divisor ?? Math.sqrt(Math.max(0, (sumSq - (sum * sum) / count) / count));
  const inverse = std !== 0 ? 1 / std : 1;
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
  summary: 'Z-scores the nonzero voxels of each channel (zeros stay 0).',
  aliases: ['aiaa.transforms.NormalizeNonzeroIntensities'],
  args: z.object({ ...keyArgs }),
  apply(ctx, a) {
    run(ctx, resolveKeys(a), { nonzero: true, channelWise: true });
  },
});

const fixedValue = z.union([z.number(), z.array(z.number()).min(1)]).optional();

/**
 * MONAI's NormalizeIntensityd (v4): z-score over all voxels unless `nonzero`, per channel with `channel_wise`, or
 * `(v − subtrahend) / divisor` with fixed values.
 */
export const normalizeIntensity = defineTransform({
  name: 'NormalizeIntensityd',
  summary: 'Z-scores the voxels, or computes (v - subtrahend) / divisor with fixed values.',
  aliases: ['monai.transforms.NormalizeIntensityd', 'aiaa.transforms.NormalizeIntensityd'],
  args: z.object({
    ...keyArgs,
    subtrahend: fixedValue,
    divisor: fixedValue,
    nonzero: flag(false),
    channel_wise: flag(false),
  }),
  apply(ctx, a) {
    run(ctx, resolveKeys(a), {
      nonzero: a.nonzero,
      channelWise: a.channel_wise,
      subtrahend: a.subtrahend,
      divisor: a.divisor,
    });
  },
});
