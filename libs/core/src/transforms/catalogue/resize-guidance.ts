import { z } from 'zod';
import { defineTransform } from '../transform';
import { guidanceArg, guidanceSpec } from './guidance';

const args = z.object({
  guidance: guidanceArg,
  ref_image: z.string().min(1).default('image'),
});

/**
 * MONAI's ResizeGuidanced rescales the clicks after the image was resized. Here the clicks stay in the input's voxels
 * and every step maps them through the recorded geometry (crop, resample) when it uses them, which is exact, so this
 * step only checks that the guidance and the reference image exist. It is kept so deepgrow configs load unchanged.
 *
 * @throws InvalidInputError when AddGuidanceFromPointsd has not run or the reference image is missing.
 */
export const resizeGuidance = defineTransform({
  name: 'ResizeGuidanced',
  summary: 'Maps the deepgrow guidance onto the grid of the resized image.',
  aliases: ['monai.apps.deepgrow.transforms.ResizeGuidanced', 'aiaa.transforms.ResizeGuidanced'],
  args,
  apply(ctx, a) {
    guidanceSpec(ctx, a.guidance);
    ctx.getImage(a.ref_image);
  },
});
