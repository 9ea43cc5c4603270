import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import type { ShapeFormat } from '../../image/shape-format';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

/**
 * MONAI's SqueezeDimd: drops axis `dim` (default 0) when it has size 1. Only the channel or batch axis can go (a
 * spatial axis is part of the grid); `NCDHW` → `CDHW`, `CDHW` → `DHW`. No voxel is copied.
 */
export const squeezeDim = defineTransform({
  name: 'SqueezeDimd',
  summary: 'Drops an axis of size 1.',
  aliases: ['monai.transforms.SqueezeDimd'],
  args: z.object({ ...keyArgs, dim: z.number().int().min(0).default(0) }),
  apply(ctx, a) {
    for (const key of resolveKeys(a, ['pred'])) {
      const image = ctx.getImage(key);
      const axis = image.shapeFormat[a.dim];
      if (axis !== 'C' && axis !== 'N') {
        throw new InvalidInputError(
          `SqueezeDimd: axis ${a.dim} of '${key}' (${image.shapeFormat}) is ${axis ? `spatial axis ${axis}` : 'absent'}; only C or N can be squeezed`,
        );
      }
      if (image.shape[a.dim] !== 1) {
        throw new InvalidInputError(
          `SqueezeDimd: axis ${a.dim} of '${key}' has size ${image.shape[a.dim]}, expected 1`,
        );
      }
      const shape = image.shape.filter((_, i) => i !== a.dim);
      const shapeFormat = (image.shapeFormat.slice(0, a.dim) + image.shapeFormat.slice(a.dim + 1)) as ShapeFormat;
      ctx.setImage(key, image.with({ shape, shapeFormat }));
    }
  },
});
