import { z } from 'zod';
import { appendChannels } from '../../image/append-channels';
import { gridOf } from '../../image/crop';
import { addGaussianBumps, rescaleMinMax } from '../../image/gaussian';
import type { Point3 } from '../../image/points';
import { spatialRank } from '../../image/shape-format';
import { defineTransform } from '../transform';
import { guidanceArg, guidanceSpec, readGuidance, toCurrentGrid } from './guidance';

const args = z.object({
  image: z.string().min(1).default('image'),
  guidance: guidanceArg,
  /** Gaussian standard deviation in voxels of the current grid. */
  sigma: z.number().positive().max(100).default(2),
  /** MONAI batching options; one request is one image here, so they are accepted and unused. */
  number_intensity_ch: z.number().int().min(1).optional(),
  batched: z.literal(false).optional(),
});

/**
 * Deepgrow's guidance channels, as MONAI's AddGuidanceSignald: two channels appended to the image, the foreground
 * clicks then the background clicks, each a sum of Gaussian bumps (`sigma` voxels) at the clicks mapped onto the
 * current grid (kept inside it, as MONAI clamps them), rescaled to [0, 1]; a list without clicks gives a zero
 * channel. A spatial image gains its channel axis (recorded, so restore can drop it again).
 *
 * @throws InvalidInputError when AddGuidanceFromPointsd has not run or the image is channels-last.
 */
export const addGuidanceSignal = defineTransform({
  name: 'AddGuidanceSignald',
  summary: 'Appends two channels of Gaussian bumps at the foreground and background clicks (deepgrow).',
  aliases: ['monai.apps.deepgrow.transforms.AddGuidanceSignald', 'aiaa.transforms.AddGuidanceSignald'],
  args,
  apply(ctx, a) {
    const image = ctx.getImage(a.image);
    const guidance = readGuidance(ctx, guidanceSpec(ctx, a.guidance));
    const rank = spatialRank(image.shapeFormat);
    const [w, h, d] = image.sizeIjk;
    // Two signal channels, and the image with them appended.
    ctx.budget.reserveVoxels(
      `image '${a.image}' with its guidance channels`,
      [image.channels + 4, ...image.spatialShape],
      'float32',
    );
    const signal = (clicks: Point3[]): Float32Array => {
      const out = new Float32Array(image.spatialSize);
      if (clicks.length > 0) {
        const centres = toCurrentGrid(ctx, a.image, clicks).map(([x, y, z]): Point3 => [
          clamp(x, w),
          clamp(y, h),
          rank === 3 ? clamp(z, d) : 0,
        ]);
        addGaussianBumps(out, [d, h, w], centres, [a.sigma, a.sigma, a.sigma]);
        rescaleMinMax(out, 0, 1);
      }
      return out;
    };
    const out = appendChannels(image, [signal(guidance.foreground), signal(guidance.background)]);
    ctx.setImage(a.image, out);
    if (out.shapeFormat !== image.shapeFormat) {
      ctx.recordGeometry(a.image, { kind: 'channels', before: gridOf(image) });
    }
  },
});

function clamp(v: number, size: number): number {
  return v < 0 ? 0 : v >= size ? size - 1 : v;
}
