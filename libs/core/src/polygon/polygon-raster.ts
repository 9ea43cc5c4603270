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
 * @param slice - row-major, x fastest (`sizeX * sizeY` values)
 */
export function paintPolygons(
  polygons: readonly Polygon[],
  slice: Uint8Array,
  sizeX: number,
  sizeY: number,
  value = 1,
): void {
  for (const polygon of polygons) {
    if (polygon.length === 0) {
      continue;
    }
    const { firstRow, rowStart, xs } = rowCrossings(polygon, sizeY);
    for (let r = 0; r + 1 < rowStart.length; r++) {
      const row = xs.subarray(rowStart[r], rowStart[r + 1]).sort();
      for (let c = 0; c + 1 < row.length; c += 2) {
        paintRun(slice, sizeX, firstRow + r, row[c] as number, row[c + 1] as number, value);
      }
    }
    paintOutline(polygon, slice, sizeX, sizeY, value);
  }
}

/**
 * The rows y (integers in 0..sizeY−1) where an edge from height `ay` to `by` crosses the scanline: one end above the
 * row and the other on or below it (half-open, y in [min, max)), so a vertex on a row is counted once and horizontal
 * edges not at all. Returns `[first, last]`, empty when first > last.
 */
function crossedRows(ay: number, by: number, sizeY: number): [number, number] {
  return [Math.max(0, Math.ceil(Math.min(ay, by))), Math.min(sizeY - 1, Math.ceil(Math.max(ay, by)) - 1)];
}

/**
 * How many (edge, row) crossings painting the polygons takes: the work of {@link paintPolygons} beyond one pass over
 * the vertices, and the length of the crossing lists it builds. A traced outline crosses each row about twice per
 * polygon; a zigzag of a million vertices across every row crosses it a million times.
 */
export function countRowCrossings(polygons: readonly Polygon[], sizeY: number): number {
  let total = 0;
  for (const polygon of polygons) {
    const count = polygon.length;
    for (let i = 0; i < count; i++) {
      const [first, last] = crossedRows(
        (polygon[i] as [number, number])[1],
        (polygon[(i + 1) % count] as [number, number])[1],
        sizeY,
      );
      total += Math.max(0, last - first + 1);
    }
  }
  return total;
}

/**
 * Every crossing of the polygon's edges with the rows of the slice it spans, bucketed by row (a counting sort): the x
 * of row `firstRow + r` are `xs[rowStart[r]] .. xs[rowStart[r + 1] − 1]`, unsorted. Work and memory are per crossing
 * and per spanned row, not per edge × row, so many small polygons on a tall slice stay cheap.
 */
function rowCrossings(polygon: Polygon, sizeY: number): { firstRow: number; rowStart: Int32Array; xs: Float64Array } {
  const count = polygon.length;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const [, y] of polygon) {
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const firstRow = Math.max(0, Math.ceil(minY));
  const rows = Math.max(0, Math.min(sizeY - 1, Math.floor(maxY)) - firstRow + 1);
  const rowStart = new Int32Array(rows + 1);
  for (let i = 0; i < count; i++) {
    const [first, last] = crossedRows(
      (polygon[i] as [number, number])[1],
      (polygon[(i + 1) % count] as [number, number])[1],
      sizeY,
    );
    for (let y = first; y <= last; y++) {
      rowStart[y - firstRow + 1] = (rowStart[y - firstRow + 1] as number) + 1;
    }
  }
  for (let r = 0; r < rows; r++) {
    rowStart[r + 1] = (rowStart[r + 1] as number) + (rowStart[r] as number);
  }
  const xs = new Float64Array(rowStart[rows] as number);
  const next = rowStart.slice(0, rows);
  for (let i = 0; i < count; i++) {
    const [ax, ay] = polygon[i] as [number, number];
    const [bx, by] = polygon[(i + 1) % count] as [number, number];
    const [first, last] = crossedRows(ay, by, sizeY);
    for (let y = first; y <= last; y++) {
      xs[(next[y - firstRow] as number)++] = ax + ((y - ay) * (bx - ax)) / (by - ay);
    }
  }
  return { firstRow, rowStart, xs };
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
