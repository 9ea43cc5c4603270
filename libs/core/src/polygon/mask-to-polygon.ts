import { AllocationBudget } from '../budget/allocation-budget';
import { CancelledError, TooLargeError } from '../errors';
import type { VoxelArray } from '../image/dtype';
import { swapSliceAxes } from './nifti-slice-axes';

/** A polygon as the AIAA clients read it: a closed ring of `[x, y]` pixel indices (first point not repeated). */
export type Polygon = [number, number][];

/** Options of {@link maskToPolygons}. */
export interface MaskToPolygonOptions {
  /**
   * AIAA's `more_points`: 0 keeps only the corners of each traced outline; N ≥ 1 also keeps a vertex every
   * `max(1, round(8 / N))` pixels along straight runs, so larger N gives denser polygons (N ≥ 8: every pixel).
   */
  morePoints?: number;
}

// Moore neighbourhood in clockwise order on screen (y grows downwards), starting West.
const DX = [-1, -1, 0, 1, 1, 1, 0, -1] as const;
const DY = [0, -1, -1, -1, 0, 1, 1, 1] as const;

/** Index of the neighbour at offset (dx, dy), each in -1..1, in the clockwise table above. */
function directionOf(dx: number, dy: number): number {
  for (let d = 0; d < 8; d++) {
    if (DX[d] === dx && DY[d] === dy) {
      return d;
    }
  }
  return 0;
}

/**
 * Outlines of a stack of planes, plane by plane: for each, one polygon per 8-connected component of non-zero pixels,
 * traced clockwise (on screen, y down) from its top-left pixel by Moore-neighbour tracing, stopping when the first
 * move repeats. Only outer outlines are returned (holes are not); points are pixel centres `[x, y]`, x along the
 * fastest axis. For a NIfTI mask as AIAA clients read it, see {@link traceMaskSlices}.
 *
 * @param voxels - row-major planes, x fastest (`sizeX * sizeY * planes` values)
 */
export function maskToPolygons(
  voxels: VoxelArray,
  sizeX: number,
  sizeY: number,
  options: MaskToPolygonOptions = {},
): Polygon[][] {
  const sliceSize = sizeX * sizeY;
  const slices = sliceSize === 0 ? 0 : Math.floor(voxels.length / sliceSize);
  const morePoints = options.morePoints ?? 0;
  const spacing = morePoints > 0 ? Math.max(1, Math.round(8 / morePoints)) : Number.POSITIVE_INFINITY;
  const visited = new Uint8Array(sliceSize);
  const stack = new Int32Array(sliceSize);
  const result: Polygon[][] = [];
  for (let k = 0; k < slices; k++) {
    const slice = voxels.subarray(k * sliceSize, (k + 1) * sliceSize);
    visited.fill(0);
    const polygons: Polygon[] = [];
    for (let start = 0; start < sliceSize; start++) {
      if (slice[start] === 0 || visited[start] === 1) {
        continue;
      }
      // The first unvisited foreground pixel in raster order is the top-left pixel of a new component.
      markComponent(slice, sizeX, sizeY, start, visited, stack);
      polygons.push(traceOutline(slice, sizeX, sizeY, start, spacing));
    }
    result.push(polygons);
  }
  return result;
}

/** Flood-fills (8-connected) the component holding `start` into `visited`, with an explicit stack. */
function markComponent(
  slice: VoxelArray,
  sizeX: number,
  sizeY: number,
  start: number,
  visited: Uint8Array,
  stack: Int32Array,
): void {
  let top = 0;
  stack[top++] = start;
  visited[start] = 1;
  while (top > 0) {
    const p = stack[--top] as number;
    const x = p % sizeX;
    const y = (p - x) / sizeX;
    for (let d = 0; d < 8; d++) {
      const nx = x + (DX[d] as number);
      const ny = y + (DY[d] as number);
      if (nx < 0 || ny < 0 || nx >= sizeX || ny >= sizeY) {
        continue;
      }
      const q = ny * sizeX + nx;
      if (slice[q] !== 0 && visited[q] === 0) {
        visited[q] = 1;
        stack[top++] = q;
      }
    }
  }
}

/** Moore-neighbour tracing from the component's top-left pixel; keeps corners (and every `spacing`-th pixel). */
function traceOutline(slice: VoxelArray, sizeX: number, sizeY: number, start: number, spacing: number): Polygon {
  const sx = start % sizeX;
  const sy = (start - sx) / sizeX;
  const isSet = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < sizeX && y < sizeY && slice[y * sizeX + x] !== 0;

  const outline: Polygon = [];
  // Start entered from the West, which is background because `start` is the first pixel of its row in raster order.
  let x = sx;
  let y = sy;
  let back = 0;
  let firstMove = -1;
  const maxSteps = 4 * sizeX * sizeY + 8;
  for (let step = 0; step < maxSteps; step++) {
    let next = -1;
    for (let i = 1; i <= 8; i++) {
      const d = (back + i) % 8;
      if (isSet(x + (DX[d] as number), y + (DY[d] as number))) {
        next = d;
        break;
      }
    }
    // The state after a move depends only on (pixel, move): leaving the start by the first move again closes the ring.
    if (step > 0 && x === sx && y === sy && next === firstMove) {
      break;
    }
    outline.push([x, y]);
    if (next < 0) {
      break; // an isolated pixel
    }
    if (step === 0) {
      firstMove = next;
    }
    // The neighbour examined just before `next` is background: it becomes the backtrack of the next pixel.
    const prev = (next + 7) % 8;
    const bx = x + (DX[prev] as number);
    const by = y + (DY[prev] as number);
    x += DX[next] as number;
    y += DY[next] as number;
    back = directionOf(bx - x, by - y);
  }
  return simplify(outline, spacing);
}

/** Drops pixels where the outline goes straight on, except every `spacing`-th pixel of a straight run. */
function simplify(outline: Polygon, spacing: number): Polygon {
  const n = outline.length;
  if (n <= 2) {
    return outline;
  }
  const kept: Polygon = [];
  let run = 0;
  for (let i = 0; i < n; i++) {
    const [px, py] = outline[(i + n - 1) % n] as [number, number];
    const [cx, cy] = outline[i] as [number, number];
    const [nx, ny] = outline[(i + 1) % n] as [number, number];
    const straight = cx - px === nx - cx && cy - py === ny - cy;
    run = straight ? run + 1 : 0;
    if (!straight || run % spacing === 0) {
      kept.push([cx, cy]);
      run = 0;
    }
  }
  return kept;
}

/**
 * Most vertices one reply may carry: about 50 MB of JSON, written in one piece; a traced organ outline has hundreds
 * per slice, while a checkerboard mask would give one polygon per pixel.
 */
export const MAX_OUTLINE_VERTICES = 5_000_000;
/**
 * Heap bytes one `[x, y]` vertex is budgeted at while the reply is built: a two-element array (about 64 bytes) and
 * its slot, with room for the traced outline it was simplified from.
 */
const BYTES_PER_VERTEX = 128;

/** Voxels traced between two yields to the event loop (about 10 ms of work). */
const VOXELS_PER_YIELD = 1 << 20;

/**
 * The outlines of a NIfTI mask (voxels i fastest) slice by slice along k, as AIAA's `/v1/mask2polygon` answers them:
 * vertex `[x, y]` of slice k is voxel (i = y, j = x, k) (see `swapSliceAxes`), each ring counter-clockwise with
 * y down. Gives the event loop a turn every `VOXELS_PER_YIELD` voxels so that a large mask (the AIAA client's
 * test mask is 32 M voxels) does not stall other requests, and stops when `signal` aborts (the client went away). The
 * outlines built so far are checked against the budget after every slice.
 * @throws CancelledError when `signal` aborts; TooLargeError past `MAX_OUTLINE_VERTICES` or the budget.
 */
export async function traceMaskSlices(
  voxels: VoxelArray,
  [sizeI, sizeJ]: readonly [number, number, number],
  morePoints: number,
  signal: AbortSignal,
  budget: AllocationBudget = AllocationBudget.UNLIMITED,
): Promise<Polygon[][]> {
  const sliceSize = sizeI * sizeJ;
  const slices = sliceSize === 0 ? 0 : Math.floor(voxels.length / sliceSize);
  const result: Polygon[][] = [];
  let sinceYield = 0;
  let vertices = 0;
  for (let k = 0; k < slices; k++) {
    const slice = voxels.subarray(k * sliceSize, (k + 1) * sliceSize);
    const polygons = swapSliceAxes(maskToPolygons(slice, sizeI, sizeJ, { morePoints })[0] ?? []);
    result.push(polygons);
    for (const polygon of polygons) {
      vertices += polygon.length;
    }
    if (vertices > MAX_OUTLINE_VERTICES) {
      throw new TooLargeError(
        `the outlines of slices 0..${k} have ${vertices} vertices, over the ${MAX_OUTLINE_VERTICES} one reply may carry`,
      );
    }
    budget.reserve(`the outlines of slices 0..${k} (${vertices} vertices)`, vertices, BYTES_PER_VERTEX);
    sinceYield += sliceSize;
    if (sinceYield >= VOXELS_PER_YIELD) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) {
        throw new CancelledError('mask2polygon cancelled by the client');
      }
    }
  }
  return result;
}
