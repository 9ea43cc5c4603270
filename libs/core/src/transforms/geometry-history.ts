import { type GridBefore, gridOf } from '../image/crop';
import type { TransformContext } from './transform-context';

export type { GridBefore };

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

/**
 * The grid image `field` was on before its first recorded geometric step: the grid of the image the client sent,
 * which request points index. The image's current grid when nothing was recorded.
 * @throws InvalidInputError when the context has no such image and no history for it.
 */
export function originalGrid(ctx: TransformContext, field: string): GridBefore {
  return ctx.geometryHistory(field).steps[0]?.before ?? gridOf(ctx.getImage(field));
}
