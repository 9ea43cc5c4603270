import { AllocationBudget } from '../budget/allocation-budget';
import { CancelledError, InvalidInputError } from '../errors';
import type { Polygon } from './mask-to-polygon';
import { swapSliceAxes } from './nifti-slice-axes';
import { countRowCrossings, paintPolygons } from './polygon-raster';

/**
 * Most (edge, row) crossings one request may paint. A traced outline crosses each row about twice, so a 1000-slice
 * volume with a few organs stays far below; a hostile zigzag is refused before it is painted (on a 2-core machine a
 * million crossings of one row cost about 150 ms, mostly sorting them).
 */
export const MAX_ROW_CROSSINGS = 4_000_000;
/** Crossings painted between two turns of the event loop (a few tens of ms at most). */
const CROSSINGS_PER_YIELD = 250_000;

/** @throws InvalidInputError naming `params.poly` past {@link MAX_ROW_CROSSINGS}. */
function checkCrossings(total: number): void {
  if (total > MAX_ROW_CROSSINGS) {
    throw new InvalidInputError(
      `params.poly: the polygons cross the image rows ${total} times, over the limit of ${MAX_ROW_CROSSINGS} ` +
        '(a traced outline crosses each row about twice)',
    );
  }
}

/**
 * A `width × height` 0/1 mask of the polygons (see {@link paintPolygons}).
 * @throws InvalidInputError (params.poly); TooLargeError when the mask does not fit the budget.
 */
export function paintPlane(
  polygons: readonly Polygon[],
  width: number,
  height: number,
  budget: AllocationBudget = AllocationBudget.UNLIMITED,
): Uint8Array {
  budget.reserveVoxels('the mask', [height, width], 'uint8');
  checkCrossings(countRowCrossings(polygons, height));
  const pixels = new Uint8Array(width * height);
  paintPolygons(polygons, pixels, width, height);
  return pixels;
}

/**
 * A 0/1 NIfTI volume (i fastest) with slice k painted from `polygonsBySlice[k]`, vertex `[x, y]` at voxel
 * (i = y, j = x, k) as AIAA's polygons are read (see `swapSliceAxes`); slices past the list stay empty. Gives
 * the event loop a turn every `CROSSINGS_PER_YIELD` crossings and stops when `signal` aborts.
 *
 * @throws InvalidInputError naming `params.poly` past {@link MAX_ROW_CROSSINGS}; TooLargeError when the mask does not
 *   fit the budget; CancelledError.
 */
export async function paintVolume(
  polygonsBySlice: readonly Polygon[][],
  [sizeI, sizeJ, sizeK]: readonly [number, number, number],
  signal: AbortSignal,
  budget: AllocationBudget = AllocationBudget.UNLIMITED,
): Promise<Uint8Array> {
  budget.reserveVoxels('the mask', [sizeK, sizeJ, sizeI], 'uint8');
  const stored = polygonsBySlice.map(swapSliceAxes);
  const crossings = stored.map((polygons) => countRowCrossings(polygons, sizeJ));
  checkCrossings(crossings.reduce((a, b) => a + b, 0));
  const sliceSize = sizeI * sizeJ;
  const mask = new Uint8Array(sliceSize * sizeK);
  let sinceYield = 0;
  for (let k = 0; k < stored.length && k < sizeK; k++) {
    paintPolygons(stored[k] as Polygon[], mask.subarray(k * sliceSize, (k + 1) * sliceSize), sizeI, sizeJ);
    sinceYield += (crossings[k] as number) + (stored[k] as Polygon[]).length;
    if (sinceYield >= CROSSINGS_PER_YIELD) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) {
        throw new CancelledError('fixpolygon cancelled by the client');
      }
    }
  }
  return mask;
}
