import { z } from 'zod';
import { keyList } from '../args';
import { defineTransform } from '../transform';

const property = z.enum(['affine', 'spacing', 'header']);

const args = z.object({
  fields: keyList.optional(),
  keys: keyList.optional(),
  field: z.string().min(1).optional(),
  /** The image whose properties are copied (v3 `from_field`, also `ref_image`). */
  from_field: z.string().min(1).optional(),
  ref_image: z.string().min(1).optional(),
  properties: z.union([property, z.array(property).min(1)]).default(['affine']),
});

/**
 * AIAA's CopyProperties: copies `affine` (voxel → RAS+ mm), `spacing` (the voxel size only: each affine column of the
 * target is rescaled to the source's spacing, directions kept) and/or `header` from `from_field` to each field.
 * Voxels and shape are untouched.
 */
export const copyProperties = defineTransform({
  name: 'CopyProperties',
  summary: 'Copies images or properties of the context to other names.',
  aliases: ['aiaa.transforms.CopyProperties'],
  args,
  apply(ctx, a) {
    const from = ctx.getImage(a.from_field ?? a.ref_image ?? 'image');
    const properties = [a.properties].flat();
    const keys = a.keys ?? a.fields ?? (a.field ? [a.field] : ['model']);
    for (const key of keys) {
      let image = ctx.getImage(key);
      for (const name of properties) {
        switch (name) {
          case 'affine':
            image = image.with({ affine: Float64Array.from(from.affine) });
            break;
          case 'spacing': {
            const affine = Float64Array.from(image.affine);
            const current = image.spacingMm;
            const target = from.spacingMm;
            for (let col = 0; col < 3; col++) {
              const scale = (current[col] as number) > 0 ? (target[col] as number) / (current[col] as number) : 0;
              for (let row = 0; row < 3; row++) {
                affine[row * 4 + col] = (affine[row * 4 + col] as number) * scale;
              }
            }
            image = image.with({ affine });
            break;
          }
          case 'header':
            image = image.with({ header: from.header });
            break;
        }
      }
      ctx.setImage(key, image);
    }
  },
});
