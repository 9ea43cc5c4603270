import { z } from 'zod';
import type { VoxelArray } from '../../image/dtype';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

const args = z
  .object({ ...keyArgs, sigmoid: flag(false), softmax: flag(false) })
  .refine((a) => !(a.sigmoid && a.softmax), { message: 'choose sigmoid or softmax, not both', path: ['softmax'] });

/** `1 / (1 + e^−v)` per voxel, float32 out. */
export function sigmoid(src: VoxelArray): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    out[i] = 1 / (1 + Math.exp(-(src[i] as number)));
  }
  return out;
}

/**
 * Softmax across the channels of a channels-first array (`channels` blocks of `size` voxels), float32 out. The
 * per-voxel maximum is subtracted before `exp` so large logits do not overflow; the running maximum and sum live in
 * two arrays of one channel each, and every pass reads contiguous memory.
 */
export function softmaxChannelsFirst(src: VoxelArray, channels: number, size: number): Float32Array {
  const out = new Float32Array(src.length);
  const max = new Float32Array(size);
  max.set(src.subarray(0, size));
  for (let c = 1; c < channels; c++) {
    const base = c * size;
    for (let i = 0; i < size; i++) {
      const v = src[base + i] as number;
      if (v > (max[i] as number)) {
        max[i] = v;
      }
    }
  }
  const sum = new Float32Array(size);
  for (let c = 0; c < channels; c++) {
    const base = c * size;
    for (let i = 0; i < size; i++) {
      const e = Math.exp((src[base + i] as number) - (max[i] as number));
      out[base + i] = e;
      sum[i] = (sum[i] as number) + e;
    }
  }
  for (let i = 0; i < size; i++) {
    sum[i] = 1 / (sum[i] as number);
  }
  for (let c = 0; c < channels; c++) {
    const base = c * size;
    for (let i = 0; i < size; i++) {
      out[base + i] = (out[base + i] as number) * (sum[i] as number);
    }
  }
  return out;
}

/**
 * MONAI's Activationsd: `sigmoid` per voxel, or `softmax` across the channel axis (channels-first; an image without a
 * channel axis is one channel, so every voxel becomes 1). Neither flag leaves the image as it is.
 */
export const activations = defineTransform({
  name: 'Activations',
  aliases: ['Activationsd', 'monai.transforms.Activationsd', 'aiaa.transforms.Activationsd'],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a, ['model'])) {
      const image = ctx.getImage(key);
      if (a.sigmoid) {
        ctx.setImage(key, image.with({ voxels: sigmoid(image.voxels) }));
      } else if (a.softmax) {
        const channels = image.shapeFormat.startsWith('C') ? image.channels : 1;
        ctx.setImage(key, image.with({ voxels: softmaxChannelsFirst(image.voxels, channels, image.spatialSize) }));
      }
    }
  },
});
