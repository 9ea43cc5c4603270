import type { Polygon } from './mask-to-polygon';

/** A move of one polygon vertex, in pixels: `[dx, dy]` in the polygons' own `[x, y]` order. */
export type VertexOffset = readonly [number, number];

/**
 * Share of the offset a vertex `distance` steps away from the moved one receives: `1 − distance / (neighbours + 1)`,
 * so with 2 neighbours the moved vertex goes the whole way and the next ones 2/3 and 1/3; 0 beyond `neighbours`.
 */
export function falloff(distance: number, neighbours: number): number {
  // (n + 1 − d) / (n + 1) rather than 1 − d / (n + 1): exact thirds, so halves round the same way every time.
  return distance > neighbours ? 0 : (neighbours + 1 - distance) / (neighbours + 1);
}

/**
 * Whole pixels, rounding halves away from zero so that a move to the left mirrors the same move to the right
 * (`Math.round` alone would send -0.5 to 0 but 0.5 to 1).
 */
function wholePixels(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value));
  return rounded === 0 ? 0 : rounded; // no -0 in the reply
}

/**
 * The polygon with vertex `vertexIndex` moved by `offset × scale` and its neighbours dragged along: the vertex at
 * cyclic distance d ≤ `neighbours` (the ring is closed, so both sides wrap) moves by `offset × scale × falloff(d)`.
 * Each displacement is rounded to whole pixels, so integer polygons stay integer. Returns a new polygon.
 */
export function moveVertex(
  polygon: Polygon,
  vertexIndex: number,
  offset: VertexOffset,
  neighbours: number,
  scale = 1,
): Polygon {
  const count = polygon.length;
  return polygon.map(([x, y], i) => {
    const apart = Math.abs(i - vertexIndex);
    const weight = scale * falloff(Math.min(apart, count - apart), neighbours);
    return weight === 0 ? [x, y] : [x + wholePixels(offset[0] * weight), y + wholePixels(offset[1] * weight)];
  });
}

/** Index of the vertex nearest to `[x, y]` (the first of equals); -1 for an empty polygon. */
export function nearestVertex(polygon: Polygon, [x, y]: readonly [number, number]): number {
  let best = -1;
  let bestSquared = Number.POSITIVE_INFINITY;
  for (let i = 0; i < polygon.length; i++) {
    const [px, py] = polygon[i] as [number, number];
    const squared = (px - x) ** 2 + (py - y) ** 2;
    if (squared < bestSquared) {
      best = i;
      bestSquared = squared;
    }
  }
  return best;
}

/** Where a vertex was moved in a per-slice polygon list (`poly[slice][polygon][vertex]`). */
export interface SliceVertex {
  readonly sliceIndex: number;
  readonly polygonIndex: number;
  readonly vertexIndex: number;
}

/**
 * The 3-D edit: on slice `sliceIndex` the polygon moves as {@link moveVertex} says; on the slices s = 1..`slices`
 * above and below, the polygon with the same index (when that slice has one) gets the same edit scaled by
 * `falloff(s, slices)`, around its vertex nearest to where the moved vertex was (slices are traced independently, so
 * the same vertex index would be an unrelated point). Returns a new list; other slices are shared.
 */
export function moveVertexAcrossSlices(
  polygonsBySlice: readonly Polygon[][],
  at: SliceVertex,
  offset: VertexOffset,
  neighbours: number,
  slices: number,
): Polygon[][] {
  const moved = polygonsBySlice[at.sliceIndex]?.[at.polygonIndex]?.[at.vertexIndex];
  if (!moved) {
    throw new RangeError(`no vertex [${at.sliceIndex}][${at.polygonIndex}][${at.vertexIndex}]`);
  }
  const result = [...polygonsBySlice];
  const first = Math.max(0, at.sliceIndex - slices);
  const last = Math.min(polygonsBySlice.length - 1, at.sliceIndex + slices);
  for (let k = first; k <= last; k++) {
    const polygons = polygonsBySlice[k] as Polygon[];
    const polygon = polygons[at.polygonIndex];
    if (!polygon || polygon.length === 0) {
      continue;
    }
    const anchor = k === at.sliceIndex ? at.vertexIndex : nearestVertex(polygon, moved);
    const scale = falloff(Math.abs(k - at.sliceIndex), slices);
    const updated = [...polygons];
    updated[at.polygonIndex] = moveVertex(polygon, anchor, offset, neighbours, scale);
    result[k] = updated;
  }
  return result;
}
