import type { Mat4 } from '../image/affine';
import type { ShapeFormat } from '../image/shape-format';

/** The grid an image lay on before a geometric step: spatial sizes (slowest first) and affine. */
export interface GridBefore {
  /** [D, H, W] (or [H, W]) before the step. */
  spatialShape: readonly number[];
  /** Voxel → RAS+ mm before the step. */
  affine: Mat4;
  shapeFormat: ShapeFormat;
}

/**
 * One geometric change made to an image by a pre-transform, recorded so that RestoreOriginalShape can undo it on the
 * model's output: steps are undone last-first, each returning the output to `before`.
 */
export type GeometryStep =
  /** Axes permuted and/or flipped (closest canonical). Output spatial axis `a` = input axis `permutation[a]`. */
  | { kind: 'reorient'; before: GridBefore; permutation: readonly number[]; flipped: readonly boolean[] }
  /** A box cut out (and/or zero-padded where `startDhw` < 0 or the end passes the border). */
  | { kind: 'crop'; before: GridBefore; startDhw: readonly number[]; sizeDhw: readonly number[] }
  /** Resampled to another grid covering the same physical extent. */
  | { kind: 'resample'; before: GridBefore }
  /** Channel axis moved or added (ConvertToChannelsFirst, AddChannel). */
  | { kind: 'channels'; before: GridBefore };

/** The per-image record of geometric steps, kept by a TransformContext under each image's name. */
export class GeometryHistory {
  readonly #steps: GeometryStep[];

  constructor(steps: readonly GeometryStep[] = []) {
    this.#steps = [...steps];
  }

  get steps(): readonly GeometryStep[] {
    return this.#steps;
  }

  /** A copy with `step` appended (histories are shared between images, so never mutated in place). */
  plus(step: GeometryStep): GeometryHistory {
    return new GeometryHistory([...this.#steps, step]);
  }
}
