import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { VOXEL_CHUNK, type VoxelArray, readVoxelChunk } from '../../image/dtype';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

const args = z
  .object({
    ...keyArgs,
    /** Lowest value after scaling (MONAI's default 0); null with `maxv` null selects `factor`. */
    minv: z.number().nullable().default(0),
    /** Highest value after scaling (MONAI's default 1). */
    maxv: z.number().nullable().default(1),
    /** With `minv` and `maxv` both null: multiply by `1 + factor`. */
    factor: z.number().nullable().optional(),
    /** Scale each channel by its own minimum and maximum. */
    channel_wise: flag(false),
  })
  .refine((a) => a.minv !== null || a.maxv !== null || (a.factor !== undefined && a.factor !== null), {
    message: 'minv and maxv are null: factor is required',
    path: ['factor'],
  });

/**
 * MONAI's ScaleIntensityd (its `rescale_array`): min-max scaling of each image in `keys` to `minv..maxv`,
 * `(v − min) / (max − min) · (maxv − minv) + minv`, over the whole image or, with `channel_wise`, per channel. A
 * constant image becomes `v · minv`; with only one of `minv`/`maxv` null the result is `(v − min) / (max − min)`; with
 * both null, `v · (1 + factor)`. Output is float32 (MONAI's default dtype), two passes over the voxels.
 *
 * @throws InvalidInputError when an image is empty, or `channel_wise` is asked of a channels-last image.
 */
export const scaleIntensity = defineTransform({
  name: 'ScaleIntensityd',
  summary: 'Min-max scales each image (or each channel) to minv..maxv, or multiplies it by 1 + factor, as float32.',
  aliases: ['monai.transforms.ScaleIntensityd', 'aiaa.transforms.ScaleIntensityd'],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a)) {
      const image = ctx.getImage(key);
      const src = image.voxels;
      if (src.length === 0) {
        throw new InvalidInputError(`ScaleIntensityd: image '${key}' is empty`);
      }
      ctx.budget.reserveVoxels(`image '${key}' scaled`, image.shape, 'float32');
      const out = new Float32Array(src.length);
      // Channels are contiguous blocks only when the channel axis comes first.
      const format = image.shapeFormat;
      if (a.channel_wise && format.includes('C') && !format.startsWith('C')) {
        throw new InvalidInputError(`ScaleIntensityd: channel_wise needs channels first, image '${key}' is ${format}`);
      }
      const parts = a.channel_wise && format.startsWith('C') ? image.channels : 1;
      const partLength = src.length / parts;
      for (let p = 0; p < parts; p++) {
        const part = src.subarray(p * partLength, (p + 1) * partLength);
        const [scale, offset] = linearMap(part, a.minv, a.maxv, a.factor ?? 0);
        writeScaled(part, scale, offset, out.subarray(p * partLength, (p + 1) * partLength));
      }
      ctx.setImage(key, image.with({ voxels: out }));
    }
  },
});

/** `[scale, offset]` such that the result is `v · scale + offset`, as MONAI's ScaleIntensity decides it. */
function linearMap(voxels: VoxelArray, minv: number | null, maxv: number | null, factor: number): [number, number] {
  if (minv === null && maxv === null) {
    return [1 + factor, 0];
  }
  const [lo, hi] = minMax(voxels);
  if (lo === hi) {
    return [minv ?? 1, 0];
  }
  const scale = 1 / (hi - lo);
  if (minv === null || maxv === null) {
    return [scale, -lo * scale];
  }
  const range = (maxv - minv) * scale;
  return [range, minv - lo * range];
}

function minMax(voxels: VoxelArray): [number, number] {
  const scratch = new Float64Array(VOXEL_CHUNK);
  let lo = Infinity;
  let hi = -Infinity;
  for (let start = 0; start < voxels.length; start += VOXEL_CHUNK) {
    const count = readVoxelChunk(voxels, start, scratch);
    for (let i = 0; i < count; i++) {
      const v = scratch[i] as number;
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
  }
  return [lo, hi];
}

function writeScaled(voxels: VoxelArray, scale: number, offset: number, out: Float32Array): void {
  // Staged through a float64 chunk so the loop sees one element kind whatever the input dtype.
  const scratch = new Float64Array(VOXEL_CHUNK);
  for (let start = 0; start < voxels.length; start += VOXEL_CHUNK) {
    const count = readVoxelChunk(voxels, start, scratch);
    for (let i = 0; i < count; i++) {
      out[start + i] = (scratch[i] as number) * scale + offset;
    }
  }
}
