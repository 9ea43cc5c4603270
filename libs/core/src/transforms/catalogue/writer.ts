import { z } from 'zod';
import { VOXEL_DTYPES } from '../../image/dtype';
import { flag } from '../args';
import { defineTransform } from '../transform';
import { writeResultFile } from './write-nifti';

const args = z.object({
  /** The image written as the result file; null for a JSON-only result (classification). */
  image: z.string().min(1).nullable().default('pred'),
  /** The property whose JSON object becomes the reply's params. */
  json: z.string().min(1).default('result'),
  dtype: z.enum(VOXEL_DTYPES).optional(),
  compress: flag(true),
});

/**
 * AIAA v4's `aiaa.transforms.Writer {image, json}`: writes image `image` as NIfTI (honouring `result_extension`,
 * `result_dtype`, `result_compress` from the request) and returns property `json` as the reply's params. With
 * `image: null` the reply is JSON only.
 */
export const writer = defineTransform({
  name: 'aiaa.transforms.Writer',
  summary: "AIAA v4's writer: writes image `image` as NIfTI and returns JSON property `json`.",
  aliases: ['Writer'],
  args,
  async apply(ctx, a) {
    if (a.image === null) {
      ctx.writerOutput = { json: ctx.result(a.json) };
      return;
    }
    await writeResultFile(ctx, a.image, a.json, { dtype: a.dtype, compress: a.compress });
  },
});
