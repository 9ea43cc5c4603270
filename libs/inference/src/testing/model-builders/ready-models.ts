import type { TensorDType } from '../../engine';
import { buildModel } from './model-builder';

/** Names of a single-input, single-output model's tensors. Defaults: `INPUT__0` and `OUTPUT__0` (Triton style). */
export interface TensorNames {
  readonly inputName?: string;
  readonly outputName?: string;
}

/** Shape of an image model's tensor: batch `N` (unless fixed) and spatial `D`, `H`, `W` are dynamic. */
function volumeShape(channels: number, spatialDims: 2 | 3 = 3, batch: number | string = 'N'): (number | string)[] {
  return spatialDims === 3 ? [batch, channels, 'D', 'H', 'W'] : [batch, channels, 'H', 'W'];
}

/** What {@link buildThresholdSegmenter} needs. */
export interface ThresholdSegmenterOptions extends TensorNames {
  readonly threshold: number;
  /** 3 (default): `[N, C, D, H, W]` tensors; 2: `[N, C, H, W]`. */
  readonly spatialDims?: 2 | 3;
  /** A fixed batch size (e.g. 1, as many exported models have); dynamic `N` by default. */
  readonly batch?: number;
}

/**
 * A segmentation model without learning: input `[N, 1, D, H, W]` (or `[N, 1, H, W]`) float32, output
 * `[N, 2, D, H, W]` float32 logits with channel 0 = `threshold - x` (background) and channel 1 = `x - threshold`
 * (foreground), so an argmax over channels labels every voxel above the threshold 1 (ties at the threshold go to
 * channel 0, the first maximum).
 */
export function buildThresholdSegmenter(options: ThresholdSegmenterOptions): Uint8Array {
  const input = options.inputName ?? 'INPUT__0';
  const output = options.outputName ?? 'OUTPUT__0';
  const batch = options.batch ?? 'N';
  return buildModel({
    graphName: 'threshold_segmenter',
    docString: `two-channel logits of x > ${options.threshold}`,
    inputs: [{ name: input, dtype: 'float32', shape: volumeShape(1, options.spatialDims, batch) }],
    outputs: [{ name: output, dtype: 'float32', shape: volumeShape(2, options.spatialDims, batch) }],
    initializers: [{ name: 'threshold', dtype: 'float32', shape: [], data: Float32Array.of(options.threshold) }],
    nodes: [
      { opType: 'Sub', inputs: ['threshold', input], outputs: ['background'] },
      { opType: 'Sub', inputs: [input, 'threshold'], outputs: ['foreground'] },
      {
        opType: 'Concat',
        inputs: ['background', 'foreground'],
        outputs: [output],
        attributes: { axis: { type: 'int', value: 1 } },
      },
    ],
  });
}

/**
 * A model whose output is its input negated (`Neg`; `Not` for bool), any shape, for checking each tensor type
 * end to end. Unsigned integer types have no `Neg` in ONNX, so they are refused.
 * @throws RangeError for `uint8`, `uint16`, `uint32`.
 */
export function buildInvertModel(options: TensorNames & { readonly dtype?: TensorDType } = {}): Uint8Array {
  const dtype = options.dtype ?? 'float32';
  if (dtype === 'uint8' || dtype === 'uint16' || dtype === 'uint32') {
    throw new RangeError(`ONNX Neg has no ${dtype} kernel; use buildIdentityModel for unsigned types`);
  }
  const input = options.inputName ?? 'INPUT__0';
  const output = options.outputName ?? 'OUTPUT__0';
  return buildModel({
    graphName: 'invert',
    inputs: [{ name: input, dtype, shape: ['N', 'L'] }],
    outputs: [{ name: output, dtype, shape: ['N', 'L'] }],
    nodes: [{ opType: dtype === 'bool' ? 'Not' : 'Neg', inputs: [input], outputs: [output] }],
  });
}

/**
 * A model that returns its input unchanged (`Identity`) for any tensor type; shape `[N, L]` unless given (e.g.
 * `['N', 1, 'D', 'H', 'W']` to stand in for an image model).
 */
export function buildIdentityModel(
  options: TensorNames & { readonly dtype?: TensorDType; readonly shape?: readonly (number | string)[] } = {},
): Uint8Array {
  const dtype = options.dtype ?? 'float32';
  const input = options.inputName ?? 'INPUT__0';
  const output = options.outputName ?? 'OUTPUT__0';
  const shape = options.shape ?? ['N', 'L'];
  return buildModel({
    graphName: 'identity',
    inputs: [{ name: input, dtype, shape }],
    outputs: [{ name: output, dtype, shape }],
    nodes: [{ opType: 'Identity', inputs: [input], outputs: [output] }],
  });
}

/**
 * A shift-invariant model for sliding-window checks: a 3×3×3 box filter (mean of the 27 neighbours, zeros outside
 * the input) over `[N, 1, D, H, W]` float32, output the same shape.
 */
export function buildSmoothingConv(options: TensorNames = {}): Uint8Array {
  const input = options.inputName ?? 'INPUT__0';
  const output = options.outputName ?? 'OUTPUT__0';
  return buildModel({
    graphName: 'box_smoothing_3x3x3',
    inputs: [{ name: input, dtype: 'float32', shape: volumeShape(1) }],
    outputs: [{ name: output, dtype: 'float32', shape: volumeShape(1) }],
    initializers: [
      { name: 'kernel', dtype: 'float32', shape: [1, 1, 3, 3, 3], data: new Float32Array(27).fill(1 / 27) },
    ],
    nodes: [
      {
        opType: 'Conv',
        inputs: [input, 'kernel'],
        outputs: [output],
        attributes: {
          kernel_shape: { type: 'ints', value: [3, 3, 3] },
          pads: { type: 'ints', value: [1, 1, 1, 1, 1, 1] },
        },
      },
    ],
  });
}

/** What {@link buildWindowSegmenter} needs. */
export interface WindowSegmenterOptions extends TensorNames {
  /** Lower and upper bound of the foreground intensity window (in the model input's units). */
  readonly low: number;
  readonly high: number;
  /** Box-filter size `[d, h, w]` applied first (odd sizes; `[1, 1, 1]` for none). Default `[1, 3, 3]`. */
  readonly smoothing?: readonly [number, number, number];
}

/**
 * A classical segmenter written as a network: a box filter (mean over `smoothing` voxels, zeros outside), then
 * two-channel logits for "the smoothed intensity lies in [low, high]": foreground `min(s − low, high − s)`,
 * background its negation. Input `[N, 1, D, H, W]` float32, output `[N, 2, D, H, W]`; argmax gives the mask.
 * @throws RangeError for an even or non-positive smoothing size, or `low >= high`.
 */
export function buildWindowSegmenter(options: WindowSegmenterOptions): Uint8Array {
  const input = options.inputName ?? 'INPUT__0';
  const output = options.outputName ?? 'OUTPUT__0';
  const kernel = options.smoothing ?? [1, 3, 3];
  if (kernel.some((k) => !Number.isInteger(k) || k < 1 || k % 2 === 0)) {
    throw new RangeError(`smoothing sizes must be odd positive integers, got [${kernel.join(', ')}]`);
  }
  if (!(options.low < options.high)) {
    throw new RangeError(`window low (${options.low}) must be below high (${options.high})`);
  }
  const size = kernel[0] * kernel[1] * kernel[2];
  const half = kernel.map((k) => (k - 1) / 2);
  return buildModel({
    graphName: 'window_segmenter',
    docString: `box filter ${kernel.join('x')}, then foreground where the mean lies in [${options.low}, ${options.high}]`,
    inputs: [{ name: input, dtype: 'float32', shape: volumeShape(1) }],
    outputs: [{ name: output, dtype: 'float32', shape: volumeShape(2) }],
    initializers: [
      { name: 'kernel', dtype: 'float32', shape: [1, 1, ...kernel], data: new Float32Array(size).fill(1 / size) },
      { name: 'low', dtype: 'float32', shape: [], data: Float32Array.of(options.low) },
      { name: 'high', dtype: 'float32', shape: [], data: Float32Array.of(options.high) },
    ],
    nodes: [
      {
        opType: 'Conv',
        inputs: [input, 'kernel'],
        outputs: ['smoothed'],
        attributes: {
          kernel_shape: { type: 'ints', value: [...kernel] },
          pads: { type: 'ints', value: [...half, ...half] },
        },
      },
      { opType: 'Sub', inputs: ['smoothed', 'low'], outputs: ['above_low'] },
      { opType: 'Sub', inputs: ['high', 'smoothed'], outputs: ['below_high'] },
      { opType: 'Min', inputs: ['above_low', 'below_high'], outputs: ['foreground'] },
      { opType: 'Neg', inputs: ['foreground'], outputs: ['background'] },
      {
        opType: 'Concat',
        inputs: ['background', 'foreground'],
        outputs: [output],
        attributes: { axis: { type: 'int', value: 1 } },
      },
    ],
  });
}
