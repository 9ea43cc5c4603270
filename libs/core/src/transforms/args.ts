import { z } from 'zod';

/**
 * Argument schemas shared by catalogue entries, written to accept what real AIAA configs contain: v3 configs spell
 * booleans as strings (`"as_closest_canonical": "false"`) and name one field or a list (`fields`, `keys`).
 */

/**
 * A boolean, also from the strings "true"/"false" (any case). The default is applied to the input (then parsed like
 * one), so the JSON Schema of the arguments shows it.
 */
export function flag(defaultValue: boolean) {
  return z
    .union([z.boolean(), z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE'])])
    .transform((v) => (typeof v === 'boolean' ? v : v.toLowerCase() === 'true'))
    .prefault(defaultValue);
}

/** One key or a list of keys, always returned as a non-empty list. */
export const keyList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/** Three positive numbers (a spacing or size along x, y, z). */
export const positiveTriple = z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]);

/**
 * The image keys a transform acts on, from AIAA's v3 `fields`/`field` or v4 `keys`; `fallback` when none is given.
 * Use with `.transform(withKeys(...))` on an object schema that has optional `fields`, `field` and `keys`.
 */
export function resolveKeys(
  args: { fields?: string[] | undefined; field?: string | undefined; keys?: string[] | undefined },
  fallback: string[] = ['image'],
): string[] {
  return args.keys ?? args.fields ?? (args.field ? [args.field] : fallback);
}

/** The optional `fields` / `field` / `keys` members every image transform accepts. */
export const keyArgs = {
  fields: keyList.optional(),
  field: z.string().min(1).optional(),
  keys: keyList.optional(),
};

/** MONAI's `spatial_size` / `roi_size`: one size for every spatial axis, or one per axis (slowest first, [D, H, W]). */
export const spatialSizeArg = z.union([z.number().int().max(4096), z.array(z.number().int().max(4096)).min(2).max(3)]);

/**
 * MONAI's `fall_back_tuple` for a spatial size: one number applies to every axis, and a size ≤ 0 keeps the image's
 * own. Returns undefined when a list has another rank than the image.
 */
export function fallBackSizes(
  spatialShape: readonly number[],
  wanted: number | readonly number[],
): number[] | undefined {
  const sizes = typeof wanted === 'number' ? spatialShape.map(() => wanted) : wanted;
  if (sizes.length !== spatialShape.length) {
    return undefined;
  }
  return sizes.map((s, axis) => (s > 0 ? s : (spatialShape[axis] as number)));
}
