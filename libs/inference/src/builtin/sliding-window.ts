import { AllocationBudget, CancelledError, InvalidInputError } from '@aiaa/core';
import type { Tensor } from '../engine';
import { tensorToFloat32 } from './tensor-voxels';

/** What {@link slidingWindowInference} needs. */
export interface SlidingWindowOptions {
  /** The image, channels first: `[C, D, H, W]`, row-major. */
  readonly input: Float32Array;
  /** `[C, D, H, W]` of `input`. */
  readonly shape: readonly number[];
  /** Window size `[D, H, W]` in voxels; a size ≤ 0 takes the image's size on that axis (MONAI's fall back). */
  readonly roi: readonly number[];
  /** Fraction of a window shared with its neighbour, in [0, 1). */
  readonly overlap: number;
  /** Windows per model call. */
  readonly batchSize: number;
  /** `constant`: plain mean of overlapping windows; `gaussian`: windows weighted by a Gaussian (σ = roi / 8). */
  readonly mode: 'constant' | 'gaussian';
  /** Runs the model on `[B, C, d, h, w]` windows and returns `[B, C_out, d, h, w]`. */
  readonly run: (batch: Tensor<'float32'>) => Promise<Tensor>;
  /** Checked between model calls. */
  readonly signal?: AbortSignal;
  /** The request's budget, checked for the padded input, the windows and the output volumes before they exist. */
  readonly budget?: AllocationBudget;
}

/** Heap bytes one window start `[z, y, x]` costs in the grid (a three-element array and its slot), as budgeted. */
const BYTES_PER_WINDOW = 64;

/** The window grid of one image, as MONAI's `dense_patch_slices` lays it out. */
export interface WindowGrid {
  /** Image size after padding to at least the roi, `[D, H, W]`. */
  readonly paddedShape: readonly [number, number, number];
  /** Zeros added before the image on each axis (the rest of the padding goes after it). */
  readonly padBefore: readonly [number, number, number];
  /** Window size `[d, h, w]`. */
  readonly roi: readonly [number, number, number];
  /** Start of every window in the padded image, `[z, y, x]`, z slowest. */
  readonly starts: readonly (readonly [number, number, number])[];
}

/**
 * Where MONAI's `sliding_window_inference` puts its windows: the image is zero-padded (half before, half after) on
 * each axis shorter than the roi; the step is `floor(roi × (1 − overlap))` (at least 1; the whole roi when it equals
 * the image); windows march from 0 until one reaches the far side, and a window past the end is moved back to end
 * at the border.
 */
export function windowGrid(
  spatialShape: readonly number[],
  roi: readonly number[],
  overlap: number,
  budget: AllocationBudget = AllocationBudget.UNLIMITED,
): WindowGrid {
  if (spatialShape.length !== 3 || roi.length !== 3) {
    throw new InvalidInputError(
      `sliding window: needs a 3-D image and roi, got image [${spatialShape.join(', ')}] and roi [${roi.join(', ')}]`,
    );
  }
  if (!(overlap >= 0 && overlap < 1)) {
    throw new InvalidInputError(`sliding window: overlap must be in [0, 1), got ${overlap}`);
  }
  const window = [0, 0, 0] as [number, number, number];
  const padded = [0, 0, 0] as [number, number, number];
  const before = [0, 0, 0] as [number, number, number];
  const axisStarts: number[][] = [];
  for (let axis = 0; axis < 3; axis++) {
    const size = spatialShape[axis] as number;
    const r = (roi[axis] as number) > 0 ? (roi[axis] as number) : size;
    const full = Math.max(size, r);
    window[axis] = r;
    padded[axis] = full;
    before[axis] = Math.floor((full - size) / 2);
    const interval = r === full ? r : Math.max(Math.floor(r * (1 - overlap)), 1);
    const starts: number[] = [];
    for (let d = 0; ; d++) {
      const start = d * interval;
      starts.push(start - Math.max(start + r - full, 0));
      if (start + r >= full) {
        break;
      }
    }
    axisStarts.push(starts);
  }
  const windows = axisStarts.reduce((n, starts) => n * starts.length, 1);
  budget.reserve(`sliding window: a grid of ${windows} windows`, windows, BYTES_PER_WINDOW);
  const starts: [number, number, number][] = [];
  for (const z of axisStarts[0] as number[]) {
    for (const y of axisStarts[1] as number[]) {
      for (const x of axisStarts[2] as number[]) {
        starts.push([z, y, x]);
      }
    }
  }
  return { paddedShape: padded, padBefore: before, roi: window, starts };
}

/**
 * Window weights `[d, h, w]`: ones (`constant`), or MONAI's Gaussian importance map: a separable Gaussian centred on
 * the window with σ = 0.125 × size per axis, clamped below at its own minimum or 1e-3, whichever is larger.
 */
export function importanceMap(roi: readonly [number, number, number], mode: 'constant' | 'gaussian'): Float32Array {
  const [d, h, w] = roi;
  const map = new Float32Array(d * h * w);
  if (mode === 'constant') {
    return map.fill(1);
  }
  const axes = roi.map((size) => {
    const sigma = size * 0.125;
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const x = i - (size - 1) / 2;
      values[i] = Math.exp((x * x) / (-2 * sigma * sigma));
    }
    return values;
  }) as [Float64Array, Float64Array, Float64Array];
  let min = Infinity;
  for (let z = 0, i = 0; z < d; z++) {
    for (let y = 0; y < h; y++) {
      const zy = (axes[0][z] as number) * (axes[1][y] as number);
      for (let x = 0; x < w; x++, i++) {
        const v = Math.fround(zy * (axes[2][x] as number));
        map[i] = v;
        min = Math.min(min, v);
      }
    }
  }
  const floor = Math.max(min, 1e-3);
  for (let i = 0; i < map.length; i++) {
    if ((map[i] as number) < floor) {
      map[i] = floor;
    }
  }
  return map;
}

/**
 * MONAI's `sliding_window_inference` over a `[C, D, H, W]` float32 image: runs the model on roi-sized windows
 * (`batchSize` at a time), adds each window's output times the importance map into one output volume and the
 * weights into one `[D, H, W]` map, then divides. Memory beyond the output is one batch of windows (plus a padded
 * copy of the input when the image is smaller than the roi).
 * @returns the blended output, float32 `[C_out, D, H, W]`.
 * @throws InvalidInputError when the shapes disagree or the model returns windows of another size.
 * @throws CancelledError when `signal` aborts between model calls.
 */
export async function slidingWindowInference(options: SlidingWindowOptions): Promise<Tensor<'float32'>> {
  const { shape, batchSize } = options;
  if (shape.length !== 4) {
    throw new InvalidInputError(`sliding window: input must be [C, D, H, W], got [${shape.join(', ')}]`);
  }
  const channels = shape[0] as number;
  const spatial = shape.slice(1);
  const count = shape.reduce((a, b) => a * b, 1);
  if (options.input.length !== count) {
    throw new InvalidInputError(
      `sliding window: input has ${options.input.length} values but shape [${shape.join(', ')}] holds ${count}`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidInputError(`sliding window: batch_size must be a positive integer, got ${batchSize}`);
  }
  const budget = options.budget ?? AllocationBudget.UNLIMITED;
  const grid = windowGrid(spatial, options.roi, options.overlap, budget);
  const [pd, ph, pw] = grid.paddedShape;
  const [rd, rh, rw] = grid.roi;
  const windowSize = rd * rh * rw;
  const paddedSize = pd * ph * pw;
  const padded = pd !== spatial[0] || ph !== spatial[1] || pw !== spatial[2];
  const batchWindows = Math.min(batchSize, grid.starts.length);
  // The padded copy, one batch of windows, the weights of a window and, with Gaussian blending, of every voxel.
  budget.reserve(
    `sliding window: [${channels}, ${grid.paddedShape.join(', ')}] padded, ${batchWindows} windows of [${grid.roi.join(', ')}]`,
    (padded ? channels * paddedSize : 0) +
      (batchWindows * channels + 1) * windowSize +
      (options.mode === 'constant' ? 0 : paddedSize),
    4,
  );
  const source = padInput(options.input, channels, spatial, grid);
  const weights = importanceMap(grid.roi, options.mode);
  const batch = new Float32Array(batchWindows * channels * windowSize);
  // Constant weights over a product grid of windows sum to a product of per-axis window counts, so no weight volume
  // is kept (one float32 volume less per request); Gaussian maps are clamped below, which breaks that product.
  const weightSum = options.mode === 'constant' ? undefined : new Float32Array(paddedSize);
  let sum: Float32Array | undefined;
  let outChannels = 0;

  for (let first = 0; first < grid.starts.length; first += batchSize) {
    if (options.signal?.aborted) {
      throw new CancelledError('sliding window inference cancelled');
    }
    const starts = grid.starts.slice(first, first + batchSize);
    for (let b = 0; b < starts.length; b++) {
      cutWindow(source, channels, grid, starts[b] as [number, number, number], batch, b * channels * windowSize);
    }
    const inputs = batch.subarray(0, starts.length * channels * windowSize);
    const result = await options.run({ dtype: 'float32', shape: [starts.length, channels, rd, rh, rw], data: inputs });
    const out = tensorToFloat32(result);
    const [ob, oc, od, oh, ow] = result.shape;
    if (result.shape.length !== 5 || ob !== starts.length || od !== rd || oh !== rh || ow !== rw) {
      throw new InvalidInputError(
        `sliding window: the model returned [${result.shape.join(', ')}] for windows [${starts.length}, ${channels}, ${rd}, ${rh}, ${rw}]; it must keep the batch and window size`,
      );
    }
    if (sum === undefined) {
      outChannels = oc as number;
      // The blended sum and, when the image was padded, its crop.
      budget.reserve(
        `sliding window: the output [${outChannels}, ${spatial.join(', ')}] float32`,
        outChannels *
          (paddedSize + (padded ? (spatial[0] as number) * (spatial[1] as number) * (spatial[2] as number) : 0)),
        4,
      );
      sum = new Float32Array(outChannels * paddedSize);
    } else if (oc !== outChannels) {
      throw new InvalidInputError(`sliding window: the model returned ${oc} channels, earlier ${outChannels}`);
    }
    for (let b = 0; b < starts.length; b++) {
      const start = starts[b] as [number, number, number];
      addWindow(sum, out, b * outChannels * windowSize, outChannels, grid, start, weightSum && weights);
      if (weightSum !== undefined) {
        addWindow(weightSum, weights, 0, 1, grid, start, undefined);
      }
    }
  }
  if (sum === undefined) {
    throw new InvalidInputError('sliding window: no windows to run');
  }
  return {
    dtype: 'float32',
    shape: [outChannels, ...spatial],
    data: divideAndCrop(sum, weightSum ?? windowCounts(grid), outChannels, grid, spatial),
  };
}

/**
 * Copies the window at `start` of the padded `[C, pd, ph, pw]` image into `batch` at `offset`, `[C, rd, rh, rw]`.
 * A plain function (not inlined in the async loop) so the optimiser sees fixed typed-array kinds.
 */
function cutWindow(
  source: Float32Array,
  channels: number,
  grid: WindowGrid,
  start: readonly [number, number, number],
  batch: Float32Array,
  offset: number,
): void {
  const [, ph, pw] = grid.paddedShape;
  const [rd, rh, rw] = grid.roi;
  const [z0, y0, x0] = start;
  const paddedSize = grid.paddedShape[0] * ph * pw;
  for (let c = 0; c < channels; c++) {
    for (let z = 0; z < rd; z++) {
      for (let y = 0; y < rh; y++) {
        const from = c * paddedSize + ((z0 + z) * ph + y0 + y) * pw + x0;
        batch.set(source.subarray(from, from + rw), offset + ((c * rd + z) * rh + y) * rw);
      }
    }
  }
}

/**
 * Adds a window's `[C, rd, rh, rw]` values (at `offset` of `values`) into the padded `[C, pd, ph, pw]` `sum` at
 * `start`, each times its `weights` entry, or as they are when `weights` is undefined (constant blending: all ones).
 */
function addWindow(
  sum: Float32Array,
  values: Float32Array,
  offset: number,
  channels: number,
  grid: WindowGrid,
  start: readonly [number, number, number],
  weights: Float32Array | undefined,
): void {
  const [pd, ph, pw] = grid.paddedShape;
  const [rd, rh, rw] = grid.roi;
  const [z0, y0, x0] = start;
  const paddedSize = pd * ph * pw;
  const windowSize = rd * rh * rw;
  for (let c = 0; c < channels; c++) {
    for (let z = 0; z < rd; z++) {
      for (let y = 0; y < rh; y++) {
        const dst = c * paddedSize + ((z0 + z) * ph + y0 + y) * pw + x0;
        const row = (z * rh + y) * rw;
        const src = offset + c * windowSize + row;
        if (weights === undefined) {
          for (let x = 0; x < rw; x++) {
            sum[dst + x] = (sum[dst + x] as number) + (values[src + x] as number);
          }
        } else {
          for (let x = 0; x < rw; x++) {
            sum[dst + x] = (sum[dst + x] as number) + (weights[row + x] as number) * (values[src + x] as number);
          }
        }
      }
    }
  }
}

/** The input itself when no padding is needed, else a zero-padded copy `[C, pd, ph, pw]`. */
function padInput(input: Float32Array, channels: number, spatial: readonly number[], grid: WindowGrid): Float32Array {
  const [d, h, w] = spatial as [number, number, number];
  const [pd, ph, pw] = grid.paddedShape;
  if (pd === d && ph === h && pw === w) {
    return input;
  }
  const [bz, by, bx] = grid.padBefore;
  const padded = new Float32Array(channels * pd * ph * pw);
  for (let c = 0; c < channels; c++) {
    for (let z = 0; z < d; z++) {
      for (let y = 0; y < h; y++) {
        const from = ((c * d + z) * h + y) * w;
        padded.set(input.subarray(from, from + w), ((c * pd + z + bz) * ph + y + by) * pw + bx);
      }
    }
  }
  return padded;
}

/** Windows covering each index of the padded grid, per axis `[z, y, x]`: the weight sum of constant blending. */
function windowCounts(grid: WindowGrid): [Float64Array, Float64Array, Float64Array] {
  return [0, 1, 2].map((axis) => {
    const counts = new Float64Array(grid.paddedShape[axis] as number);
    const size = grid.roi[axis] as number;
    for (const start of new Set(grid.starts.map((s) => s[axis] as number))) {
      for (let i = start; i < start + size; i++) {
        counts[i] = (counts[i] as number) + 1;
      }
    }
    return counts;
  }) as [Float64Array, Float64Array, Float64Array];
}

/**
 * sum / weight per voxel, cropped back to the unpadded image; the weight is a `[D, H, W]` volume, or the product of
 * per-axis window counts (constant blending).
 */
function divideAndCrop(
  sum: Float32Array,
  weights: Float32Array | readonly [Float64Array, Float64Array, Float64Array],
  channels: number,
  grid: WindowGrid,
  spatial: readonly number[],
): Float32Array {
  const [d, h, w] = spatial as [number, number, number];
  const [pd, ph, pw] = grid.paddedShape;
  const [bz, by, bx] = grid.padBefore;
  const paddedSize = pd * ph * pw;
  const out = pd === d && ph === h && pw === w ? sum : new Float32Array(channels * d * h * w);
  for (let c = 0; c < channels; c++) {
    for (let z = 0; z < d; z++) {
      for (let y = 0; y < h; y++) {
        const src = ((z + bz) * ph + y + by) * pw + bx;
        const dst = ((c * d + z) * h + y) * w;
        if (weights instanceof Float32Array) {
          for (let x = 0; x < w; x++) {
            out[dst + x] = (sum[c * paddedSize + src + x] as number) / (weights[src + x] as number);
          }
        } else {
          const [cz, cy, cx] = weights;
          const zy = (cz[z + bz] as number) * (cy[y + by] as number);
          for (let x = 0; x < w; x++) {
            out[dst + x] = (sum[c * paddedSize + src + x] as number) / (zy * (cx[x + bx] as number));
          }
        }
      }
    }
  }
  return out;
}
