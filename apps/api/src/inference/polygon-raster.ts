import type { Polygon } from './mask-to-polygon';

/** How close a crossing must be to a whole pixel to count as lying on it (coordinates are pixel indices). */
const ON_PIXEL = 1e-9;

/**
 * Paints polygons into one slice of a mask: a pixel `(x, y)` (its centre, as `mask2polygon` gives vertices) is set to
 * `value` when it lies inside a polygon by the even-odd rule or on its outline. Outlines count because
 * `mask2polygon` traces the centres of the outermost pixels: filling only the strict inside would lose that ring.
 * Polygons are closed rings (the last vertex joins the first); one vertex paints a pixel, two a segment. Each
 * polygon is painted on its own, so overlapping polygons add up (a union). Pixels outside the slice are clipped.
 *
 * @param slice row-major, x fastest (`sizeX * sizeY` values)
 */
export function paintPolygons(
  polygons: readonly Polygon[],
  slice: Uint8Array,
  sizeX: number,
  sizeY: number,
  value = 1,
): void {
  const crossings: number[] = [];
  for (const polygon of polygons) {
    if (polygon.length === 0) {
      continue;
    }
    let minY = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const [, y] of polygon) {
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    const firstRow = Math.max(0, Math.ceil(minY));
    const lastRow = Math.min(sizeY - 1, Math.floor(maxY));
    for (let y = firstRow; y <= lastRow; y++) {
      rowCrossings(polygon, y, crossings);
      for (let c = 0; c + 1 < crossings.length; c += 2) {
        paintRun(slice, sizeX, y, crossings[c] as number, crossings[c + 1] as number, value);
      }
    }
    paintOutline(polygon, slice, sizeX, sizeY, value);
  }
}

/**
 * Sorted x where the row `y` crosses the polygon's edges. An edge counts when one end is above the row and the other
 * on or below it (half-open), so a vertex on the row is counted once and horizontal edges not at all.
 */
function rowCrossings(polygon: Polygon, y: number, out: number[]): void {
  out.length = 0;
  const count = polygon.length;
  for (let i = 0; i < count; i++) {
    const [ax, ay] = polygon[i] as [number, number];
    const [bx, by] = polygon[(i + 1) % count] as [number, number];
    if (ay > y !== by > y) {
      out.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
    }
  }
  out.sort((a, b) => a - b);
}

/** Sets the whole pixels from `fromX` to `toX` (inclusive, fractional ends rounded inwards) on row `y`. */
function paintRun(slice: Uint8Array, sizeX: number, y: number, fromX: number, toX: number, value: number): void {
  const first = Math.max(0, Math.ceil(fromX - ON_PIXEL));
  const last = Math.min(sizeX - 1, Math.floor(toX + ON_PIXEL));
  if (first <= last) {
    slice.fill(value, y * sizeX + first, y * sizeX + last + 1);
  }
}

/** Sets every pixel whose centre lies on one of the polygon's edges (vertices included). */
function paintOutline(polygon: Polygon, slice: Uint8Array, sizeX: number, sizeY: number, value: number): void {
  const count = polygon.length;
  for (let i = 0; i < count; i++) {
    const [ax, ay] = polygon[i] as [number, number];
    const [bx, by] = polygon[(i + 1) % count] as [number, number];
    if (ay === by) {
      if (Number.isInteger(ay) && ay >= 0 && ay < sizeY) {
        paintRun(slice, sizeX, ay, Math.min(ax, bx), Math.max(ax, bx), value);
      }
      continue;
    }
    const firstRow = Math.max(0, Math.ceil(Math.min(ay, by)));
    const lastRow = Math.min(sizeY - 1, Math.floor(Math.max(ay, by)));
    for (let y = firstRow; y <= lastRow; y++) {
      const x = ax + ((y - ay) * (bx - ax)) / (by - ay);
      const pixel = Math.round(x);
      if (Math.abs(x - pixel) < ON_PIXEL && pixel >= 0 && pixel < sizeX) {
        slice[y * sizeX + pixel] = value;
      }
    }
  }
}
