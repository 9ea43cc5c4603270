import type { ClickMode } from '../models/model-kinds';

/** A voxel of the input image as the AIAA API takes it: [x, y, z] = (i, j, k), x fastest in the file. */
export type Voxel = readonly [number, number, number];

/** One click on the viewer. */
export interface ClickPoint {
  readonly voxel: Voxel;
  /** Deepgrow: a background click (shift-click); extreme points are never background. */
  readonly background: boolean;
}

/** The clicks made on the current image for the current model, turned into the request params. */
export class ClickPoints {
  #points: ClickPoint[] = [];

  constructor(readonly mode: ClickMode) {}

  get points(): readonly ClickPoint[] {
    return this.#points;
  }

  /** Adds a click; extreme points ignore `background`. Answers false (and adds nothing) in mode `none`. */
  add(voxel: Voxel, background: boolean): boolean {
    if (this.mode === 'none') {
      return false;
    }
    this.#points.push({ voxel, background: this.mode === 'foreground-background' && background });
    return true;
  }

  remove(index: number): void {
    this.#points.splice(index, 1);
  }

  clear(): void {
    this.#points = [];
  }

  /**
   * The params of the request: `{foreground, background}` for deepgrow, `{points}` for DEXTR3D, `{}` otherwise (the
   * AIAA contract, AIAA-API.md §1).
   */
  params(): Record<string, unknown> {
    const list = (points: readonly ClickPoint[]): number[][] => points.map((p) => [...p.voxel]);
    switch (this.mode) {
      case 'foreground-background':
        return {
          foreground: list(this.#points.filter((p) => !p.background)),
          background: list(this.#points.filter((p) => p.background)),
        };
      case 'extreme-points':
        return { points: list(this.#points) };
      case 'none':
        return {};
    }
  }
}
