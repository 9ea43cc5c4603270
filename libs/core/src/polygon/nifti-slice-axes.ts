import type { Polygon } from './mask-to-polygon';

/**
 * AIAA's polygons on a NIfTI slice: vertex `[x, y]` of slice k is voxel (i = y, j = x, k), that is x runs along the
 * second voxel axis and y along the first, as in an image `mask[:, :, k]` whose rows are y. The official client's
 * own test polygons (`test_fixpolygon_3d_spleen`) trace their mask this way, and only this way.
 *
 * The voxels of a slice are stored with i fastest, so the tracer and the painter work on `[i, j]` and this swap
 * turns their vertices into AIAA's `[x, y]` and back (it is its own inverse). Inside and outline are geometric, so
 * painting the swapped polygons on the stored grid paints exactly AIAA's pixels; a traced ring comes out mirrored,
 * counter-clockwise with y down, as the official polygons run.
 */
export function swapSliceAxes(polygons: readonly Polygon[]): Polygon[] {
  return polygons.map((polygon) => polygon.map(([a, b]) => [b, a]));
}
