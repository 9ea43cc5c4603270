import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

const args = z
  .object({
    ...keyArgs,
    /** The label values to split out (default: every nonzero value present, ascending). */
    label_ids: z.array(z.number().int().positive()).min(1).optional(),
    /** Names of the output images, one per label id (default `<field>_<id>`). */
    output_fields: z.array(z.string().min(1)).min(1).optional(),
  })
  .refine((a) => !a.output_fields || (a.label_ids && a.output_fields.length === a.label_ids.length), {
    message: 'output_fields needs label_ids of the same length',
    path: ['output_fields'],
  });

/**
 * Splits a multi-label map into one binary uint8 image per label (1 where the map holds that label, else 0), each
 * under its own name and on the same grid with the same geometry history as the map. AIAA's SplitBasedOnLabel is not
 * documented; these are the semantics its name and AIAA's use of per-label results imply.
 */
export const splitBasedOnLabel = defineTransform({
  name: 'SplitBasedOnLabel',
  summary: 'Splits a label map into one binary uint8 image per label.',
  aliases: ['aiaa.transforms.SplitBasedOnLabel'],
  args,
  apply(ctx, a) {
    for (const key of resolveKeys(a, ['model'])) {
      const image = ctx.getImage(key);
      const src = image.voxels;
      const ids = a.label_ids ?? presentLabels(src);
      if (ids.length === 0) {
        continue;
      }
      const maxId = Math.max(...ids);
      if (ids.length > 255 || maxId > 65535) {
        throw new InvalidInputError(
          `SplitBasedOnLabel: image '${key}' holds ${ids.length} labels up to ${maxId}; at most 255 labels up to 65535 can be split`,
        );
      }
      // One pass over the map: a table from label value to output slot (labels are small integers), then a scatter.
      const slotOf = new Int32Array(maxId + 1).fill(-1);
      ids.forEach((id, slot) => {
        slotOf[id] = slot;
      });
      ctx.budget.reserveVoxels(`image '${key}' split into ${ids.length} labels`, [ids.length, ...image.shape], 'uint8');
      const outputs = ids.map(() => new Uint8Array(src.length));
      for (let i = 0; i < src.length; i++) {
        const v = src[i] as number;
        // Non-integers and values above the largest id fall outside the table (undefined) and are skipped.
        const slot = v > 0 && v <= maxId ? slotOf[v] : undefined;
        if (slot !== undefined && slot >= 0) {
          (outputs[slot] as Uint8Array)[i] = 1;
        }
      }
      ids.forEach((id, slot) => {
        const name = a.output_fields?.[slot] ?? `${key}_${id}`;
        ctx.setImage(name, image.with({ voxels: outputs[slot] as Uint8Array }));
        ctx.copyGeometry(key, name);
      });
    }
  },
});

/** The distinct positive integer values of an array, ascending (a label map's labels). */
function presentLabels(src: ArrayLike<number>): number[] {
  const seen = new Set<number>();
  let previous = 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i] as number;
    // Runs of one label are the rule in a label map: only a change of value touches the set.
    if (v !== previous) {
      previous = v;
      if (v > 0 && Number.isInteger(v)) {
        seen.add(v);
      }
    }
  }
  return [...seen].sort((x, y) => x - y);
}
