import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { type Connectivity, keepLargestComponents } from '../../image/connected-components';
import { allocateVoxels, bytesPerVoxel, dtypeOf } from '../../image/dtype';
import { flag, keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

/** MONAI counts connectivity in hops (1 faces, 2 edges, 3 corners); neighbour counts are accepted too. */
const CONNECTIVITY: Record<number, Connectivity> = { 1: 6, 2: 18, 3: 26, 6: 6, 18: 18, 26: 26 };

const args = z.object({
  ...keyArgs,
  /** Label values to clean; others pass through (default: every nonzero value). */
  applied_labels: z.union([z.number(), z.array(z.number()).min(1)]).optional(),
  /** Each label keeps its own largest component (default), or the applied labels count as one foreground. */
  independent: flag(true),
  connectivity: z
    .union([z.literal(1), z.literal(2), z.literal(3), z.literal(6), z.literal(18), z.literal(26)])
    .nullable()
    .optional(),
});

/**
 * Keeps the largest 3-D connected component of a label map (per label value by default) and zeroes the rest, as
 * AIAA's LargestCCd and MONAI's KeepLargestConnectedComponentd. Default connectivity is full (26 neighbours, 8 in 2-D).
 * Channels-first images are cleaned channel by channel; the dtype is kept.
 */
export const keepLargestCC = defineTransform({
  name: 'KeepLargestCC',
  summary: 'Keeps the largest connected component of each label (or of the foreground).',
  aliases: [
    'LargestCCd',
    'aiaa.transforms.LargestCCd',
    'KeepLargestConnectedComponentd',
    'monai.transforms.KeepLargestConnectedComponentd',
  ],
  args,
  apply(ctx, a) {
    const options = {
      connectivity: a.connectivity ? CONNECTIVITY[a.connectivity] : 26,
      appliedLabels: a.applied_labels === undefined ? undefined : [a.applied_labels].flat(),
      independent: a.independent,
    };
    for (const key of resolveKeys(a, ['model'])) {
      const image = ctx.getImage(key);
      const format = image.shapeFormat;
      if (format.includes('N') || (format.includes('C') && !format.startsWith('C'))) {
        throw new InvalidInputError(`KeepLargestCC: image '${key}' must be spatial or channels-first, got ${format}`);
      }
      const spatial = image.spatialShape;
      const size = image.spatialSize;
      const dtype = dtypeOf(image.voxels);
      // The output, and per channel the component labels (int32) and the kept mask (uint8).
      ctx.budget.reserve(
        `image '${key}' largest components: ${image.shape.join('×')} ${dtype} and its labels`,
        image.voxels.length * bytesPerVoxel(dtype) + size * 5,
        1,
      );
      const out = allocateVoxels(dtypeOf(image.voxels), image.voxels.length);
      for (let c = 0; c < image.channels; c++) {
        const channel = image.voxels.subarray(c * size, (c + 1) * size);
        out.set(keepLargestComponents(channel, spatial, options), c * size);
      }
      ctx.setImage(key, image.with({ voxels: out }));
    }
  },
});
