import { z } from 'zod';
import { VOXEL_CHUNK, type VoxelArray, readVoxelChunk } from '../../image/dtype';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

const args = z
  .object({ ...keyArgs, sigmoid: flag(false), softmax: flag(false) })
  .refine((a) => !(a.sigmoid && a.softmax), { message: 'choose sigmoid or softmax, not both', path: ['softmax'] });

/** `1 / (1 + e^−v)` per voxel, float32 out. */
export function sigmoid(src: VoxelArray): Float32Array {
  const out = new Float32Array(src.length);
  // Float64 chunks: the loop sees one element kind whatever the input dtype.
  const scratch = new Float64Array(VOXEL_CHUNK);
  for (let start = 0; start < src.length; start += VOXEL_CHUNK) {
    const count = readVoxelChunk(src, start, scratch);
    for (let i = 0; i < count; i++) {
      out[start + i] = 1 / (1 + Math.exp(-(scratch[i] as number)));
    }
  }
  return out;
}

/**
 * Softmax across the channels of a channels-first array (`channels` blocks of `size` voxels), float32 out. Chunk by
 * chunk, each channel's run is read as float64 (one element kind for the loops whatever the input dtype); the
 * per-voxel maximum is subtracted before `exp` so large logits do not overflow. Two channels take the sigmoid of the
 * difference (one `exp` per voxel). Nothing but the output and one chunk of scratch is allocated: on large volumes
 * fresh pages cost as much as the arithmetic.
 */
export function softmaxChannelsFirst(src: VoxelArray, channels: number, size: number): Float32Array {
  const out = new Float32Array(src.length);
  if (channels === 1) {
    return out.fill(1);
  }
  const chunk = Math.max(1, Math.floor(VOXEL_CHUNK / channels));
  // Channel c of the current chunk sits at scratch[c * chunk, c * chunk + count).
  const scratch = new Float64Array(chunk * channels);
  for (let start = 0; start < size; start += chunk) {
    let count = 0;
    for (let c = 0; c < channels; c++) {
      count = readVoxelChunk(
        src.subarray(c * size, (c + 1) * size),
        start,
        scratch.subarray(c * chunk, (c + 1) * chunk),
      );
    }
    if (channels === 2) {
      for (let i = 0; i < count; i++) {
        const p1 = 1 / (1 + Math.exp((scratch[i] as number) - (scratch[chunk + i] as number)));
        out[start + i] = 1 - p1;
        out[size + start + i] = p1;
      }
      continue;
    }
    const last = (channels - 1) * chunk;
    for (let i = 0; i < count; i++) {
      let max = scratch[i] as number;
      for (let at = i + chunk; at <= last + i; at += chunk) {
        const v = scratch[at] as number;
        if (v > max) {
          max = v;
        }
      }
      let sum = 0;
      for (let at = i; at <= last + i; at += chunk) {
        const e = Math.exp((scratch[at] as number) - max);
        scratch[at] = e;
        sum += e;
      }
      const inverse = 1 / sum;
      for (let at = i, o = start + i; at <= last + i; at += chunk, o += size) {
        // Rounded to float32 first, as it was when the exponentials were kept in the output.
        out[o] = Math.fround(scratch[at] as number) * inverse;
      }
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
  summary: 'Applies a sigmoid, or a softmax across channels, to the network output (float32 out).',
  aliases: ['Activationsd', 'monai.transforms.Activationsd', 'aiaa.transforms.Activationsd'],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a, ['model'])) {
      const image = ctx.getImage(key);
      if (a.sigmoid || a.softmax) {
        ctx.budget.reserveVoxels(`image '${key}' after ${a.sigmoid ? 'sigmoid' : 'softmax'}`, image.shape, 'float32');
      }
      if (a.sigmoid) {
        ctx.setImage(key, image.with({ voxels: sigmoid(image.voxels) }));
      } else if (a.softmax) {
        const channels = image.shapeFormat.startsWith('C') ? image.channels : 1;
        ctx.setImage(key, image.with({ voxels: softmaxChannelsFirst(image.voxels, channels, image.spatialSize) }));
      }
    }
  },
});
