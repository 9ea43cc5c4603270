import { TooLargeError } from '../errors';
import { type VoxelDType, bytesPerVoxel } from '../image/dtype';

/** The most elements one typed array can hold (V8 on 64-bit): 2^32. */
export const MAX_ARRAY_LENGTH = 2 ** 32;

/** What a budget is made of; plain data, so that it crosses to a worker thread with the request. */
export interface AllocationBudgetSpec {
  /** Most bytes the request may hold in arrays at once. */
  readonly limitBytes: number;
  /** How an operator raises the limit, appended to refusals, e.g. `--request_budget_mb`. */
  readonly hint?: string;
}

/**
 * One request's allocation budget. Every allocation whose size a client controls (a resample or resize output, a
 * crop with its padding, a model's input and output, a mask, a polygon raster) is checked with
 * {@link AllocationBudget.reserve} before it is made: what the request already holds plus the new array must fit in `limitBytes`. A header of a few
 * hundred bytes that asks for a 40000³ resample is refused with a TooLargeError (413) naming the array and its size,
 * instead of allocating gigabytes; so is any array past the 2^32 elements a typed array can hold.
 */
export class AllocationBudget {
  /** A budget that never refuses anything (tools and tests that run outside a request). */
  static readonly UNLIMITED = new AllocationBudget({ limitBytes: Number.POSITIVE_INFINITY });

  /** Most bytes the request may hold in arrays at once. */
  readonly limitBytes: number;
  /** How an operator raises the limit (`--request_budget_mb`), appended to refusals. */
  readonly hint: string | undefined;
  readonly #heldBytes: () => number;

  /** @param heldBytes - what the request holds already (the images of its transform context); 0 when omitted. */
  constructor(spec: AllocationBudgetSpec, heldBytes: () => number = () => 0) {
    this.limitBytes = spec.limitBytes;
    this.hint = spec.hint;
    this.#heldBytes = heldBytes;
  }

  /** The plain data to rebuild this budget elsewhere (a worker thread). */
  get spec(): AllocationBudgetSpec {
    return this.hint === undefined ? { limitBytes: this.limitBytes } : { limitBytes: this.limitBytes, hint: this.hint };
  }

  /**
   * Checks that `count` elements of `bytesPerElement` bytes may be allocated now.
   * @param what - the array, as messages name it: `image 'image' resampled to 40000×40000×3000 float32`.
   * @throws TooLargeError naming `what`, its size and the budget.
   */
  reserve(what: string, count: number, bytesPerElement: number): void {
    const bytes = count * bytesPerElement;
    const held = this.#heldBytes();
    if (held + bytes > this.limitBytes) {
      const besides = held > 0 ? ` besides the ${formatBytes(held)} the request holds` : '';
      throw new TooLargeError(
        `${what} needs ${formatBytes(bytes)}${besides}, over the request's allocation budget of ${formatBytes(this.limitBytes)}${this.#hintText()}`,
      );
    }
    if (!(count <= MAX_ARRAY_LENGTH)) {
      throw new TooLargeError(`${what}: ${formatCount(count)} elements, more than the 2^32 one array can hold`);
    }
  }

  /**
   * {@link AllocationBudget.reserve} for an array of `shape` voxels of `dtype`: `what` is followed by the shape in messages
   * (`image 'image' resampled: 40000×40000×3000 float32 needs 17.5 TiB, …`).
   */
  reserveVoxels(what: string, shape: readonly number[], dtype: VoxelDType): void {
    this.reserve(`${what}: ${describeArray(shape, dtype)}`, countOf(shape), bytesPerVoxel(dtype));
  }

  #hintText(): string {
    return this.hint === undefined ? '' : ` (${this.hint})`;
  }
}

/** `40000×40000×3000 float32`: a shape and its element type, as budget refusals name arrays. */
export function describeArray(shape: readonly number[], dtype: string): string {
  return `${shape.join('×')} ${dtype}`;
}

/** The number of elements of a shape (a float: it may be past what an array holds). */
export function countOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `1.5 GiB`, `300 MiB`, `12 KiB`, `512 bytes`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) {
    return `${bytes} bytes`;
  }
  return `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function formatCount(count: number): string {
  return Number.isFinite(count) ? count.toExponential(2).replace('e+', 'e') : String(count);
}
