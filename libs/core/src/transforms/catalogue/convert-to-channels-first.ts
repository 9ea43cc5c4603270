import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { gridOf } from '../../image/crop';
import { allocateVoxels, dtypeOf } from '../../image/dtype';
import type { MedicalImage } from '../../image/medical-image';
import type { ShapeFormat } from '../../image/shape-format';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

const args = z.object({ ...keyArgs });

/** The channels-first format of each format that has a spatial layout (batch formats are refused). */
const CHANNELS_FIRST: Partial<Record<ShapeFormat, ShapeFormat>> = {
  HW: 'CHW',
  DHW: 'CDHW',
  HWC: 'CHW',
  DHWC: 'CDHW',
  CHW: 'CHW',
  CDHW: 'CDHW',
};

/**
 * Puts the channel axis first, as AIAA's ConvertToChannelsFirst and MONAI's AddChanneld / AsChannelFirstd: a spatial
 * image (`DHW`, `HW`) gains a channel axis of size 1 without a copy, a channels-last one (`DHWC`, `HWC`) is transposed,
 * and a channels-first one is left alone. The change is recorded so RestoreOriginalShape can undo it.
 *
 * @throws InvalidInputError for batch formats (`NCDHW`, `NCHW`).
 */
export function toChannelsFirst(image: MedicalImage): MedicalImage {
  const target = CHANNELS_FIRST[image.shapeFormat];
  if (!target) {
    throw new InvalidInputError(`${image.source}: cannot put channels first in a ${image.shapeFormat} image`);
  }
  if (target === image.shapeFormat) {
    return image;
  }
  const spatial = image.spatialShape;
  if (!image.shapeFormat.includes('C')) {
    return image.with({ shape: [1, ...spatial], shapeFormat: target });
  }
  const channels = image.channels;
  const size = image.spatialSize;
  const src = image.voxels;
  const out = allocateVoxels(dtypeOf(src), src.length);
  // Writes are contiguous per channel; reads stride by the channel count.
  for (let c = 0; c < channels; c++) {
    const base = c * size;
    for (let v = 0, s = c; v < size; v++, s += channels) {
      out[base + v] = src[s] as number;
    }
  }
  return image.with({ voxels: out, shape: [channels, ...spatial], shapeFormat: target });
}

/** AIAA's ConvertToChannelsFirst (v3) and MONAI's AddChanneld / AsChannelFirstd (v4): see {@link toChannelsFirst}. */
export const convertToChannelsFirst = defineTransform({
  name: 'ConvertToChannelsFirst',
  summary: 'Gives the image a leading channel axis (DHW to CDHW, channels last to first).',
  aliases: [
    'AddChanneld',
    'AsChannelFirstd',
    'monai.transforms.AddChanneld',
    'monai.transforms.AsChannelFirstd',
    'aiaa.transforms.AddChanneld',
    'aiaa.transforms.AsChannelFirstd',
    'EnsureChannelFirstd',
    'monai.transforms.EnsureChannelFirstd',
  ],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a)) {
      const image = ctx.getImage(key);
      if (image.shapeFormat.includes('C') && !image.shapeFormat.startsWith('C')) {
        ctx.budget.reserveVoxels(`image '${key}' with channels first`, image.shape, dtypeOf(image.voxels));
      }
      const converted = toChannelsFirst(image);
      if (converted !== image) {
        ctx.setImage(key, converted);
        ctx.recordGeometry(key, { kind: 'channels', before: gridOf(image) });
      }
    }
  },
});
