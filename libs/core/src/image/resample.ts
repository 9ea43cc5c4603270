import { AllocationBudget, describeArray } from '../budget/allocation-budget';
import { InvalidInputError } from '../errors';
import type { Mat4 } from './affine';
import { type VoxelArray, allocateVoxels, bytesPerVoxel, dtypeOf } from './dtype';
import type { MedicalImage } from './medical-image';
import { channelAxis, spatialRank } from './shape-format';

/** How {@link resampleToShape} reads between voxels: trilinear (float32 out) or nearest (input dtype kept). */
export type ResampleMode = 'linear' | 'nearest';

/**
 * Resamples an image to another spatial shape covering the same physical extent, the way AIAA's ScaleByResolution
 * does it with `scipy.ndimage.zoom(..., order=1|0)` (`grid_mode=False`): the centres of the first and last voxels
 * along each axis stay where they are, so output voxel `o` reads input coordinate `o · (in − 1) / (out − 1)`.
 * An axis of output size 1 reads input voxel 0; an input axis of size 1 is replicated.
 *
 * The affine keeps the world position of every output voxel centre true: column `c` is scaled by
 * `(in − 1) / (out − 1)` and the origin (voxel 0) is unchanged. When that ratio is undefined (either size is 1) the
 * column is scaled by `in / out` instead, which keeps the voxel-edge extent and the affine invertible.
 *
 * Works on spatial formats (`DHW`, `HW`) and channels-first formats (`CDHW`, `CHW`, each channel on its own); a 2-D
 * image is resampled in-plane. Linear output is float32; nearest keeps the input dtype (labels stay labels).
 *
 * @param spatialShape - the new spatial sizes, slowest first, as {@link MedicalImage.spatialShape} lists them.
 * @param budget - checked for the output and the passes' scratch before anything is allocated.
 * @throws InvalidInputError when the shape has the wrong rank or a non-positive size, or the format has channels last;
 *   TooLargeError when the output does not fit the budget.
 */
export function resampleToShape(
  image: MedicalImage,
  spatialShape: readonly number[],
  mode: ResampleMode,
  budget: AllocationBudget = AllocationBudget.UNLIMITED,
): MedicalImage {
  const inDhw = spatialDhw(image);
  const rank = spatialRank(image.shapeFormat);
  if (spatialShape.length !== rank || spatialShape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new InvalidInputError(
      `${image.source}: cannot resample ${image.shapeFormat} to spatial shape [${spatialShape.join(', ')}]: expected ${rank} positive integers`,
    );
  }
  const outDhw = rank === 3 ? [...spatialShape] : [1, ...spatialShape];
  const channels = image.channels;
  const inSize = inDhw[0] * inDhw[1] * inDhw[2];
  const outSize = (outDhw[0] as number) * (outDhw[1] as number) * (outDhw[2] as number);
  const dtype = mode === 'linear' ? 'float32' : dtypeOf(image.voxels);
  const scratch = mode === 'linear' ? linearScratch(inDhw, outDhw) : 0;
  budget.reserve(
    `${image.source}: resampled to ${describeArray([...(channels > 1 ? [channels] : []), ...spatialShape], dtype)}`,
    outSize * channels + scratch,
    bytesPerVoxel(dtype),
  );
  const out = allocateVoxels(dtype, outSize * channels);
  for (let c = 0; c < channels; c++) {
    const src = image.voxels.subarray(c * inSize, (c + 1) * inSize);
    const dst = out.subarray(c * outSize, (c + 1) * outSize);
    if (mode === 'linear') {
      resampleLinear(src, inDhw, outDhw, dst as Float32Array);
    } else {
      resampleNearest(src, inDhw, outDhw, dst);
    }
  }
  const shape = channelAxis(image.shapeFormat) === 0 ? [channels, ...spatialShape] : [...spatialShape];
  return image.with({ voxels: out, shape, affine: resampledAffine(image.affine, inDhw, outDhw) });
}

/**
 * Resamples an image to a voxel spacing, as AIAA's ScaleByResolution: the zoom along each axis is
 * `current spacing / target spacing`, the new size `round(size · zoom)` (at least 1), then {@link resampleToShape}.
 * Because the corner voxel centres are kept, the resulting spacing is `spacing · (in − 1) / (out − 1)`, which is the
 * target up to the rounding of the size. 2-D images ignore the k spacing.
 *
 * @param spacingMm - target voxel size in mm along (i, j, k) = (W, H, D).
 * @param budget - checked for the output and the passes' scratch before anything is allocated.
 * @throws InvalidInputError when a spacing is not a positive number; TooLargeError past the budget.
 */
export function resampleToSpacing(
  image: MedicalImage,
  spacingMm: readonly number[],
  mode: ResampleMode,
  budget: AllocationBudget = AllocationBudget.UNLIMITED,
): MedicalImage {
  if (spacingMm.length !== 3 || spacingMm.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw new InvalidInputError(`target spacing [${spacingMm.join(', ')}] mm must be three positive numbers`);
  }
  const current = image.spacingMm;
  const size = image.sizeIjk;
  const newIjk = [0, 1, 2].map((a) =>
    Math.max(1, Math.round((size[a] as number) * ((current[a] as number) / (spacingMm[a] as number)))),
  );
  const [w, h, d] = newIjk as [number, number, number];
  return resampleToShape(image, spatialRank(image.shapeFormat) === 3 ? [d, h, w] : [h, w], mode, budget);
}

/** [D, H, W] of an image (D = 1 for 2-D); refuses formats whose channel axis is not first. */
function spatialDhw(image: MedicalImage): [number, number, number] {
  const format = image.shapeFormat;
  if (format.includes('N') || (format.includes('C') && channelAxis(format) !== 0)) {
    throw new InvalidInputError(`${image.source}: resampling needs a channels-first or spatial format, got ${format}`);
  }
  const [w, h, d] = image.sizeIjk;
  return [d, h, w];
}

/** The affine after resampling from `inDhw` to `outDhw` (see {@link resampleToShape} for the rule). */
function resampledAffine(affine: Mat4, inDhw: readonly number[], outDhw: readonly number[]): Mat4 {
  const out = Float64Array.from(affine);
  // Affine column 0 is i (W, DHW index 2), column 2 is k (D, DHW index 0).
  for (let col = 0; col < 3; col++) {
    const n = inDhw[2 - col] as number;
    const m = outDhw[2 - col] as number;
    const scale = n > 1 && m > 1 ? (n - 1) / (m - 1) : n / m;
    for (let row = 0; row < 3; row++) {
      out[row * 4 + col] = (affine[row * 4 + col] as number) * scale;
    }
  }
  return out;
}

/** Per output index along one axis: the two input indices to blend and the weight of the second. */
interface AxisTable {
  lo: Int32Array;
  hi: Int32Array;
  weight: Float64Array;
}

function axisTable(inSize: number, outSize: number): AxisTable {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const weight = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    // Multiply before dividing so that coordinates landing on a voxel are exact integers.
    const x = outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
    const i0 = Math.min(Math.floor(x), inSize - 1);
    lo[o] = i0;
    hi[o] = Math.min(i0 + 1, inSize - 1);
    weight[o] = x - i0;
  }
  return { lo, hi, weight };
}

function nearestTable(inSize: number, outSize: number): Int32Array {
  const index = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const x = outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
    // Half rounds up, as scipy's order-0 spline does.
    index[o] = Math.min(Math.floor(x + 0.5), inSize - 1);
  }
  return index;
}

function resampleNearest(src: VoxelArray, inDhw: readonly number[], outDhw: readonly number[], dst: VoxelArray): void {
  const [inD, inH, inW] = inDhw as [number, number, number];
  const [outD, outH, outW] = outDhw as [number, number, number];
  const zi = nearestTable(inD, outD);
  const yi = nearestTable(inH, outH);
  const xi = nearestTable(inW, outW);
  let o = 0;
  for (let z = 0; z < outD; z++) {
    const plane = (zi[z] as number) * inH * inW;
    for (let y = 0; y < outH; y++) {
      const row = plane + (yi[y] as number) * inW;
      for (let x = 0; x < outW; x++) {
        dst[o++] = src[row + (xi[x] as number)] as number;
      }
    }
  }
}

/**
 * Separable trilinear: one pass per axis whose size changes (W, then H, then D), each blending two neighbours with
 * precomputed tables. Identical to direct trilinear up to float rounding, and 2 taps per pass instead of 8.
 */
function resampleLinear(src: VoxelArray, inDhw: readonly number[], outDhw: readonly number[], dst: Float32Array): void {
  let current: VoxelArray = src;
  const dims = [...inDhw];
  const changing = passOrder(inDhw, outDhw);
  if (changing.length === 0) {
    dst.set(src);
    return;
  }
  // Axis a of [D, H, W]: data viewed as [outer, size, inner]. The last pass writes straight into `dst`.
  changing.forEach((axis, pass) => {
    const inSize = dims[axis] as number;
    const outSize = outDhw[axis] as number;
    const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    const next = pass === changing.length - 1 ? dst : new Float32Array(outer * outSize * inner);
    resampleAxis(current, outer, inSize, inner, axisTable(inSize, outSize), next);
    current = next;
    dims[axis] = outSize;
  });
}

/**
 * The axes a linear resample passes along, shrinking ones first (then W, H, D): the volumes between passes stay
 * small, where a fixed order could blow a column up to a cube before shrinking it back.
 */
function passOrder(inDhw: readonly number[], outDhw: readonly number[]): number[] {
  const ratio = (axis: number): number => (outDhw[axis] as number) / (inDhw[axis] as number);
  return [2, 1, 0].filter((axis) => inDhw[axis] !== outDhw[axis]).sort((a, b) => ratio(a) - ratio(b));
}

/**
 * Float32 elements of the scratch {@link resampleLinear} holds at its peak: the intermediate volumes between its
 * passes (one channel at a time), two at once while a pass reads one and writes the next.
 */
function linearScratch(inDhw: readonly number[], outDhw: readonly number[]): number {
  const dims = [...inDhw];
  const sizes: number[] = [];
  for (const axis of passOrder(inDhw, outDhw)) {
    dims[axis] = outDhw[axis] as number;
    sizes.push(dims.reduce((a, b) => a * b, 1));
  }
  // The last pass writes into the output; the ones before it leave intermediates.
  const intermediates = sizes.slice(0, -1);
  let peak = 0;
  intermediates.forEach((size, i) => {
    peak = Math.max(peak, size + (i > 0 ? (intermediates[i - 1] as number) : 0));
  });
  return peak;
}

function resampleAxis(
  src: VoxelArray,
  outer: number,
  inSize: number,
  inner: number,
  table: AxisTable,
  dst: Float32Array,
): void {
  const { lo, hi, weight } = table;
  const outSize = lo.length;
  let o = 0;
  for (let a = 0; a < outer; a++) {
    const base = a * inSize * inner;
    for (let k = 0; k < outSize; k++) {
      const w = weight[k] as number;
      const b0 = base + (lo[k] as number) * inner;
      const b1 = base + (hi[k] as number) * inner;
      if (w === 0) {
        for (let i = 0; i < inner; i++) {
          dst[o++] = src[b0 + i] as number;
        }
      } else {
        const w0 = 1 - w;
        for (let i = 0; i < inner; i++) {
          dst[o++] = (src[b0 + i] as number) * w0 + (src[b1 + i] as number) * w;
        }
      }
    }
  }
}
