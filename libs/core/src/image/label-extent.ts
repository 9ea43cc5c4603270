import { InvalidInputError } from '../errors';
import type { VoxelArray } from './dtype';
import type { MedicalImage } from './medical-image';
import type { Point3 } from './points';

/** Where the non-zero voxels of a label lie, in [x, y, z] voxel indices of the label's own grid. */
export interface LabelExtent {
  /** Smallest x, y, z of any non-zero voxel. */
  min: Point3;
  /** Largest x, y, z of any non-zero voxel (inclusive). */
  max: Point3;
  /**
   * The extreme points, as DEXTR3D and AIAA's FetchExtremePoints return them: the non-zero voxels with the smallest
   * and largest x, then y, then z (six points for a 3-D format even with one slice; four for a 2-D label, whose z is 0). Where several voxels share an
   * extreme, the middle one of them in file order is chosen, so the answer is deterministic.
   */
  extremePoints: Point3[];
}

/**
 * The extent and extreme points of the non-zero voxels of a single-channel label (`DHW`, `HW`, or a format whose
 * channel/batch axes have size 1); undefined when every voxel is zero. Rows are scanned from both ends, so the
 * first pass stops at the first and last non-zero voxel of each row; the second pass reads only the six faces of
 * the box.
 *
 * @throws InvalidInputError when the label has more than one channel (apply ArgmaxAcrossChannels first).
 */
export function labelExtent(label: MedicalImage): LabelExtent | undefined {
  if (label.voxels.length !== label.spatialSize) {
    throw new InvalidInputError(
      `${label.source}: extreme points need a single-channel label, got ${label.shapeFormat} [${label.shape.join(', ')}]`,
    );
  }
  const [w, h, d] = label.sizeIjk;
  const v = label.voxels;
  let minX = w;
  let maxX = -1;
  let minY = h;
  let maxY = -1;
  let minZ = d;
  let maxZ = -1;
  for (let z = 0; z < d; z++) {
    for (let y = 0; y < h; y++) {
      const row = (z * h + y) * w;
      let first = 0;
      while (first < w && v[row + first] === 0) {
        first++;
      }
      if (first === w) {
        continue;
      }
      let last = w - 1;
      while (v[row + last] === 0) {
        last--;
      }
      minX = Math.min(minX, first);
      maxX = Math.max(maxX, last);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      minZ = Math.min(minZ, z);
      maxZ = Math.max(maxZ, z);
    }
  }
  if (maxX < 0) {
    return undefined;
  }
  const box: Box = { lo: [minX, minY, minZ], hi: [maxX, maxY, maxZ], w, h };
  const axes = label.spatialShape.length === 3 ? [0, 1, 2] : [0, 1];
  const extremePoints = axes.flatMap((axis) => [
    middleOnFace(v, box, axis, box.lo[axis] as number),
    middleOnFace(v, box, axis, box.hi[axis] as number),
  ]);
  return { min: [minX, minY, minZ], max: [maxX, maxY, maxZ], extremePoints };
}

interface Box {
  lo: Point3;
  hi: Point3;
  w: number;
  h: number;
}

/** The middle non-zero voxel (in file order) of the plane `axis = at` inside the box. */
function middleOnFace(v: VoxelArray, box: Box, axis: number, at: number): Point3 {
  const lo = [...box.lo] as Point3;
  const hi = [...box.hi] as Point3;
  lo[axis] = at;
  hi[axis] = at;
  const target = nonZeroIn(v, box, lo, hi, Infinity).seen >> 1;
  const found = nonZeroIn(v, box, lo, hi, target).at;
  if (!found) {
    throw new Error(`no non-zero voxel on the face ${'xyz'[axis]} = ${at} of a label extent`);
  }
  return found;
}

/** Walks the non-zero voxels of the box [lo, hi] in file order, stopping at the `target`-th one. */
function nonZeroIn(v: VoxelArray, box: Box, lo: Point3, hi: Point3, target: number): { seen: number; at?: Point3 } {
  const { w, h } = box;
  let seen = 0;
  for (let z = lo[2]; z <= hi[2]; z++) {
    for (let y = lo[1]; y <= hi[1]; y++) {
      const row = (z * h + y) * w;
      for (let x = lo[0]; x <= hi[0]; x++) {
        if (v[row + x] !== 0) {
          if (seen === target) {
            return { seen, at: [x, y, z] };
          }
          seen++;
        }
      }
    }
  }
  return { seen };
}
