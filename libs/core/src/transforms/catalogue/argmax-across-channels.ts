import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { type VoxelArray, allocateVoxels } from '../../image/dtype';
import type { MedicalImage } from '../../image/medical-image';
import type { ShapeFormat } from '../../image/shape-format';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

const SPATIAL: Partial<Record<ShapeFormat, ShapeFormat>> = { CDHW: 'DHW', DHWC: 'DHW', CHW: 'HW', HWC: 'HW' };

/**
 * The index of the largest channel per voxel (the first on ties, as numpy's argmax), as a uint8 label map (uint16
 * beyond 256 channels). `keepChannel` keeps a channel axis of size 1 (MONAI's AsDiscrete) instead of dropping it
 * (AIAA's ArgmaxAcrossChannels). A spatial image has one channel, so its argmax is all zeros.
 *
 * One pass over the voxels: channels-first images read each channel as its own sequential stream, channels-last
 * images their contiguous channels; only the label map is allocated.
 */
export function argmaxAcrossChannels(image: MedicalImage, keepChannel: boolean): MedicalImage {
  const spatialFormat = SPATIAL[image.shapeFormat] ?? (image.shapeFormat.includes('C') ? undefined : image.shapeFormat);
  if (!spatialFormat) {
    throw new InvalidInputError(`${image.source}: argmax across channels needs one image, got ${image.shapeFormat}`);
  }
  const channels = image.channels;
  const size = image.spatialSize;
  const labels = allocateVoxels(channels <= 256 ? 'uint8' : 'uint16', size);
  if (image.shapeFormat.startsWith('C')) {
    argmaxChannelsFirst(image.voxels, channels, size, labels);
  } else if (channels > 1) {
    argmaxChannelsLast(image.voxels, channels, size, labels);
  }
  const spatial = image.spatialShape;
  return keepChannel
    ? image.with({
        voxels: labels,
        shape: [1, ...spatial],
        shapeFormat: spatialFormat.length === 3 ? 'CDHW' : 'CHW',
      })
    : image.with({ voxels: labels, shape: spatial, shapeFormat: spatialFormat });
}

function argmaxChannelsFirst(src: VoxelArray, channels: number, size: number, labels: VoxelArray): void {
  // Voxel by voxel over `channels` sequential streams: no running-maximum array to allocate and page in.
  const last = (channels - 1) * size;
  for (let i = 0; i < size; i++) {
    let best = src[i] as number;
    let label = 0;
    for (let at = i + size, c = 1; at <= last + i; at += size, c++) {
      const v = src[at] as number;
      if (v > best) {
        best = v;
        label = c;
      }
    }
    labels[i] = label;
  }
}

function argmaxChannelsLast(src: VoxelArray, channels: number, size: number, labels: VoxelArray): void {
  for (let i = 0, s = 0; i < size; i++, s += channels) {
    let best = src[s] as number;
    let label = 0;
    for (let c = 1; c < channels; c++) {
      const v = src[s + c] as number;
      if (v > best) {
        best = v;
        label = c;
      }
    }
    labels[i] = label;
  }
}

/** AIAA's ArgmaxAcrossChannels (v3): the model's class scores (`CDHW`) become a `DHW` label map. */
export const argmaxAcrossChannelsTransform = defineTransform({
  name: 'ArgmaxAcrossChannels',
  aliases: ['aiaa.transforms.ArgmaxAcrossChannels'],
  args: z.object({ ...keyArgs }),
  apply(ctx, a) {
    for (const key of resolveKeys(a, ['model'])) {
      ctx.setImage(key, argmaxAcrossChannels(ctx.getImage(key), false));
    }
  },
});
