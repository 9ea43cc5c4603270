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
 * Softmax across the channels of a channels-first array (`channels` blocks of `size` voxels), float32 out. One pass
 * over the voxels, each reading its channels from `channels` sequential streams; the per-voxel maximum is subtracted
 * before `exp` so large logits do not overflow. Two channels take the sigmoid of the difference (one `exp` per voxel).
 * Nothing but the output is allocated: on large volumes fresh pages cost as much as the arithmetic.
 */
export function softmaxChannelsFirst(src: VoxelArray, channels: number, size: number): Float32Array {
  const out = new Float32Array(src.length);
  if (channels === 1) {
    return out.fill(1);
  }
  if (channels === 2) {
    for (let i = 0; i < size; i++) {
      const p1 = 1 / (1 + Math.exp((src[i] as number) - (src[size + i] as number)));
      out[i] = 1 - p1;
      out[size + i] = p1;
    }
    return out;
  }
  const last = (channels - 1) * size;
  for (let i = 0; i < size; i++) {
    let max = src[i] as number;
    for (let at = i + size; at <= last + i; at += size) {
      const v = src[at] as number;
      if (v > max) {
        max = v;
      }
    }
    let sum = 0;
    for (let at = i; at <= last + i; at += size) {
      const e = Math.exp((src[at] as number) - max);
      out[at] = e;
      sum += e;
    }
    const inverse = 1 / sum;
    for (let at = i; at <= last + i; at += size) {
      out[at] = (out[at] as number) * inverse;
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
