import { InvalidInputError } from '../errors';
import { type Mat4, applyMat4, invertMat4, multiplyMat4 } from './affine';
import type { GridBefore } from './crop';

/** A voxel position [x, y, z] = (i, j, k) = (W, H, D) index, as AIAA clients send and receive points. */
export type Point3 = [number, number, number];

/** Most points one request param may hold: enough for any click session, small enough to bound the work. */
export const MAX_POINTS = 1000;

/** How {@link readPointList} checks a list. */
export interface PointListOptions {
  /** Fewest points accepted (6 for extreme points); default 0. */
  min?: number;
  /** Most points accepted; default {@link MAX_POINTS}. */
  max?: number;
  /** [W, H, D] of the image the points index: a point outside it is refused. */
  sizeIjk?: readonly number[];
  /** Value used when the param is absent; when omitted an absent param is an error. */
  absent?: Point3[];
}

/**
 * Reads request param `name` as a list of [x, y, z] voxel points of the original image. The param may be a list or
 * a JSON string of one (clients up to AIAA 3.0 encode `points` twice). Coordinates are rounded to the nearest voxel
 * (Slicer already sends integers).
 *
 * @throws InvalidInputError naming `params.<name>` (and the index of a bad point) when the value is not a list of
 * three finite numbers each, has fewer than `min` or more than `max` points, or a point lies outside the image.
 */
export function readPointList(
  params: Readonly<Record<string, unknown>>,
  name: string,
  options: PointListOptions = {},
): Point3[] {
  const field = `params.${name}`;
  const raw = decodeJson(params[name], field);
  if (raw === undefined || raw === null) {
    if (options.absent) {
      return options.absent;
    }
    throw new InvalidInputError(`${field} is required: a list of [x, y, z] voxel points`);
  }
  if (!Array.isArray(raw)) {
    throw new InvalidInputError(`${field}: expected a list of [x, y, z] points, got ${describe(raw)}`);
  }
  const min = options.min ?? 0;
  const max = options.max ?? MAX_POINTS;
  if (raw.length > max) {
    throw new InvalidInputError(`${field}: ${raw.length} points exceed the limit of ${max}`);
  }
  if (raw.length < min) {
    throw new InvalidInputError(`${field}: expected at least ${min} points, got ${raw.length}`);
  }
  return raw.map((value, index) => toPoint(value, `${field}[${index}]`, options.sizeIjk));
}

/**
 * Reads request param `name` as one point, given as [x, y, z] or as a list holding one (Slicer sends
 * `current_point: [[x, y, z]]`); undefined when absent.
 * @throws InvalidInputError naming the param when it is malformed or outside the image.
 */
export function readPoint(
  params: Readonly<Record<string, unknown>>,
  name: string,
  sizeIjk?: readonly number[],
): Point3 | undefined {
  const field = `params.${name}`;
  let raw = decodeJson(params[name], field);
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (Array.isArray(raw) && raw.length === 1 && Array.isArray(raw[0])) {
    raw = raw[0];
  }
  return toPoint(raw, field, sizeIjk);
}

/**
 * Reads request param `name` as a list of positive integer sizes (`spatial_size`); undefined when absent.
 * @throws InvalidInputError naming the param when it is not `rank` positive integers (each at most 4096).
 */
export function readSizeList(
  params: Readonly<Record<string, unknown>>,
  name: string,
  rank: number,
): number[] | undefined {
  const field = `params.${name}`;
  const raw = decodeJson(params[name], field);
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (
    !Array.isArray(raw) ||
    raw.length !== rank ||
    raw.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 4096)
  ) {
    throw new InvalidInputError(`${field}: expected ${rank} integers in 1..4096, got ${describe(raw)}`);
  }
  return raw as number[];
}

/** [W, H, D] of a grid (D = 1 for 2-D grids). */
export function gridSizeIjk(grid: Pick<GridBefore, 'spatialShape'>): [number, number, number] {
  const s = grid.spatialShape;
  return s.length === 3 ? [s[2] as number, s[1] as number, s[0] as number] : [s[1] as number, s[0] as number, 1];
}

/**
 * Maps voxel positions from one grid to another through their affines: `inverse(toAffine) · fromAffine · p`.
 * Exact for crops, pads, resampling and axis flips alike; the results are not rounded.
 */
export function mapPoints(points: readonly Point3[], fromAffine: Mat4, toAffine: Mat4): Point3[] {
  const m = multiplyMat4(invertMat4(toAffine), fromAffine);
  return points.map((p) => applyMat4(m, p));
}

function toPoint(value: unknown, field: string, sizeIjk: readonly number[] | undefined): Point3 {
  if (!Array.isArray(value) || value.length !== 3 || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new InvalidInputError(`${field}: expected [x, y, z] with 3 finite numbers, got ${describe(value)}`);
  }
  const point = (value as number[]).map((v) => Math.round(v)) as Point3;
  if (sizeIjk) {
    const [w, h, d] = sizeIjk;
    const [x, y, z] = point;
    if (x < 0 || y < 0 || z < 0 || x >= (w as number) || y >= (h as number) || z >= (d as number)) {
      throw new InvalidInputError(
        `${field}: [${point.join(', ')}] lies outside the image (0 ≤ x < ${w}, 0 ≤ y < ${h}, 0 ≤ z < ${d})`,
      );
    }
  }
  return point;
}

function decodeJson(value: unknown, field: string): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new InvalidInputError(`${field}: a string must hold JSON, got ${describe(value)}`, { cause: error });
  }
}

/** A short rendering of a bad value for messages. */
function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
