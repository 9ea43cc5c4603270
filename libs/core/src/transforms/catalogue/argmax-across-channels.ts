import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { VOXEL_CHUNK, type VoxelArray, allocateVoxels, readVoxelChunk } from '../../image/dtype';
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
  // Chunk by chunk: channel 0 gives the running maximum, each further channel is read as one sequential float64 chunk
  // (one element kind for the loops whatever the input dtype); labels go out through the native `set`.
  const best = new Float64Array(VOXEL_CHUNK);
  const scratch = new Float64Array(VOXEL_CHUNK);
  const label = new Uint16Array(VOXEL_CHUNK);
  for (let start = 0; start < size; start += VOXEL_CHUNK) {
    const count = readVoxelChunk(src.subarray(0, size), start, best);
    label.fill(0);
    for (let c = 1; c < channels; c++) {
      readVoxelChunk(src.subarray(c * size, (c + 1) * size), start, scratch);
      for (let i = 0; i < count; i++) {
        const v = scratch[i] as number;
        if (v > (best[i] as number)) {
          best[i] = v;
          label[i] = c;
        }
      }
    }
    labels.set(count === VOXEL_CHUNK ? label : label.subarray(0, count), start);
  }
}

function argmaxChannelsLast(src: VoxelArray, channels: number, size: number, labels: VoxelArray): void {
  // Whole voxels (all their channels) per chunk, read as float64 so the loop sees one element kind.
  const voxelsPerChunk = Math.max(1, Math.floor(VOXEL_CHUNK / channels));
  const scratch = new Float64Array(voxelsPerChunk * channels);
  const label = new Uint16Array(voxelsPerChunk);
  for (let first = 0; first < size; first += voxelsPerChunk) {
    const count = readVoxelChunk(src, first * channels, scratch) / channels;
    for (let i = 0, s = 0; i < count; i++, s += channels) {
      let best = scratch[s] as number;
      let index = 0;
      for (let c = 1; c < channels; c++) {
        const v = scratch[s + c] as number;
        if (v > best) {
          best = v;
          index = c;
        }
      }
      label[i] = index;
    }
    labels.set(count === voxelsPerChunk ? label : label.subarray(0, count), first);
  }
}

/** AIAA's ArgmaxAcrossChannels (v3): the model's class scores (`CDHW`) become a `DHW` label map. */
export const argmaxAcrossChannelsTransform = defineTransform({
  name: 'ArgmaxAcrossChannels',
  summary: 'Replaces a multi-channel output by the index of its largest channel per voxel (a label map).',
  aliases: ['aiaa.transforms.ArgmaxAcrossChannels'],
  args: z.object({ ...keyArgs }),
  apply(ctx, a) {
    for (const key of resolveKeys(a, ['model'])) {
      const image = ctx.getImage(key);
      ctx.budget.reserveVoxels(`image '${key}' after argmax`, image.spatialShape, 'uint16');
      ctx.setImage(key, argmaxAcrossChannels(image, false));
    }
  },
});
