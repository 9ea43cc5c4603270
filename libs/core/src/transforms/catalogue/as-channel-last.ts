import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { allocateVoxels, dtypeOf } from '../../image/dtype';
import type { ShapeFormat } from '../../image/shape-format';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

const CHANNELS_LAST: Partial<Record<ShapeFormat, ShapeFormat>> = { CDHW: 'DHWC', CHW: 'HWC' };

/**
 * MONAI's AsChannelLastd (deepgrow's last post-transform): moves the channel axis of a channels-first image last. A
 * single channel needs no copy; spatial and channels-last images are left as they are.
 */
export const asChannelLast = defineTransform({
  name: 'AsChannelLastd',
  summary: 'Moves the channel axis last (CDHW to DHWC).',
  aliases: ['monai.transforms.AsChannelLastd'],
  args: z.object({ ...keyArgs }),
  apply(ctx, a) {
    for (const key of resolveKeys(a, ['pred'])) {
      const image = ctx.getImage(key);
      const target = CHANNELS_LAST[image.shapeFormat];
      if (!target) {
        if (image.shapeFormat.includes('N')) {
          throw new InvalidInputError(`AsChannelLastd: '${key}' is a batch (${image.shapeFormat})`);
        }
        continue;
      }
      const channels = image.channels;
      const size = image.spatialSize;
      const src = image.voxels;
      let voxels = src;
      if (channels > 1) {
        ctx.budget.reserveVoxels(`image '${key}' with channels last`, image.shape, dtypeOf(src));
        voxels = allocateVoxels(dtypeOf(src), src.length);
        // Reads are contiguous per channel; writes stride by the channel count.
        for (let c = 0; c < channels; c++) {
          const base = c * size;
          for (let v = 0, d = c; v < size; v++, d += channels) {
            voxels[d] = src[base + v] as number;
          }
        }
      }
      ctx.setImage(key, image.with({ voxels, shape: [...image.spatialShape, channels], shapeFormat: target }));
    }
  },
});
