import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { type Point3, gridSizeIjk, mapPoints, readPoint, readPointList } from '../../image/points';
import { originalGrid } from '../geometry-history';
import type { TransformContext } from '../transform-context';

/**
 * What AddGuidanceFromPointsd leaves in the context under its `guidance` key: where to read the clicks, not the
 * clicks themselves. Every deepgrow step reads the current request's `foreground`/`background` params through it, so
 * a context restored from the `cache_until` snapshot (taken after this step in AIAA's deepgrow configs) still follows
 * the new request's clicks. Plain JSON, as snapshots structured-clone properties.
 */
export interface GuidanceSpec {
  kind: 'guidance';
  /** The image whose original grid the clicks index. */
  refImage: string;
  /** Request params holding the clicks. */
  foreground: string;
  background: string;
  /** 2 for deepgrow 2D (one slice), 3 for deepgrow 3D. */
  dimensions: 2 | 3;
  /** Request param naming the slice (z) for 2-D guidance; else `current_point`'s z, else the lowest clicked z. */
  sliceKey: string;
}

/** The clicks of the current request, [x, y, z] voxels of the image the client sent. */
export interface Guidance {
  foreground: Point3[];
  background: Point3[];
  /** 2-D guidance: the slice z (original grid) that all the clicks above lie on. */
  slice?: number;
}

/** The `guidance` argument of the deepgrow transforms: the context property holding the {@link GuidanceSpec}. */
export const guidanceArg = z.string().min(1).default('guidance');

/** The {@link GuidanceSpec} under `key`. @throws InvalidInputError when AddGuidanceFromPointsd has not run. */
export function guidanceSpec(ctx: TransformContext, key: string): GuidanceSpec {
  const spec = ctx.getProperty<GuidanceSpec>(key);
  if (typeof spec !== 'object' || spec === null || spec.kind !== 'guidance') {
    throw new InvalidInputError(`no guidance '${key}' in the transform context: AddGuidanceFromPointsd must run first`);
  }
  return spec;
}

/**
 * Reads the request's clicks as the spec says: each list bounds-checked against the original grid of the reference
 * image (errors name `params.foreground[3]`), at least one click in all, and for 2-D guidance only the clicks on the
 * chosen slice.
 * @throws InvalidInputError naming the param at fault.
 */
export function readGuidance(ctx: TransformContext, spec: GuidanceSpec): Guidance {
  const sizeIjk = gridSizeIjk(originalGrid(ctx, spec.refImage));
  let foreground = readPointList(ctx.params, spec.foreground, { sizeIjk, absent: [] });
  let background = readPointList(ctx.params, spec.background, { sizeIjk, absent: [] });
  if (foreground.length + background.length === 0) {
    throw new InvalidInputError(
      `params.${spec.foreground}: deepgrow needs at least one click in params.${spec.foreground} or params.${spec.background}`,
    );
  }
  if (spec.dimensions === 3) {
    return { foreground, background };
  }
  const slice = chooseSlice(ctx, spec, sizeIjk, [...foreground, ...background]);
  foreground = foreground.filter((p) => p[2] === slice);
  background = background.filter((p) => p[2] === slice);
  if (foreground.length + background.length === 0) {
    const from = ctx.params[spec.sliceKey] !== undefined ? `params.${spec.sliceKey}` : 'params.current_point';
    throw new InvalidInputError(`${from}: slice z = ${slice} holds none of the clicks`);
  }
  return { foreground, background, slice };
}

function chooseSlice(ctx: TransformContext, spec: GuidanceSpec, sizeIjk: readonly number[], clicks: Point3[]): number {
  const raw = ctx.params[spec.sliceKey];
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw >= (sizeIjk[2] as number)) {
      throw new InvalidInputError(
        `params.${spec.sliceKey}: expected a slice index in 0..${(sizeIjk[2] as number) - 1}`,
      );
    }
    return raw;
  }
  const current = readPoint(ctx.params, 'current_point', sizeIjk);
  if (current) {
    return current[2];
  }
  // As MONAI's AddGuidanceFromPointsd: the lowest slice any click is on.
  return Math.min(...clicks.map((p) => p[2]));
}

/**
 * Maps points given in the original grid of image `field` to its current grid (after crops, resamples, slicing),
 * rounded to the nearest voxel. A point may land outside the current grid; callers clamp or drop it.
 */
export function toCurrentGrid(ctx: TransformContext, field: string, points: readonly Point3[]): Point3[] {
  const image = ctx.getImage(field);
  // `+ 0` turns the -0 that rounding a small negative gives into 0, so results compare and print as plain indices.
  return mapPoints(points, originalGrid(ctx, field).affine, image.affine).map(
    (p) => p.map((v) => Math.round(v) + 0) as Point3,
  );
}
