import { InvalidInputError } from '../errors';
import { VOXEL_CHUNK, type VoxelArray, allocateVoxels, dtypeOf, readVoxelChunk } from './dtype';

/** Which neighbours touch: faces (6), faces and edges (18), or faces, edges and corners (26; 8 in 2-D). */
export type Connectivity = 6 | 18 | 26;

/** Connected components of a label map, numbered 1..count in raster order of their first voxel. */
export interface ComponentLabels {
  /** Per voxel, its component (0 for background). */
  labels: Int32Array;
  count: number;
  /** Voxels per component, indexed by component (entry 0 unused). */
  sizes: Int32Array;
  /** The label value of each component, indexed by component (entry 0 unused). */
  values: Float64Array;
}

/**
 * Labels connected components with union-find over runs: each row's runs of one nonzero value are joined with the
 * touching runs of the rows already scanned (the row above, and the three rows of the slice before). Voxels are
 * connected when they touch under `connectivity` and hold the same nonzero value, so each label of a multi-label map
 * gets its own components; 0 is background.
 *
 * @param spatialShape - [D, H, W] or [H, W] of `voxels` (one channel).
 * @throws InvalidInputError when the shape does not hold `voxels.length` voxels.
 */
export function labelComponents(
  voxels: VoxelArray,
  spatialShape: readonly number[],
  connectivity: Connectivity = 26,
): ComponentLabels {
  const dhw = dhwOf(voxels, spatialShape);
  const { runs, count, sizes, values } = componentsOf(voxels, dhw, connectivity);
  const labels = new Int32Array(voxels.length);
  const width = dhw[2];
  for (let row = 0; row < runs.rowCount; row++) {
    for (let r = runs.rowStart[row] as number; r < (runs.rowStart[row + 1] as number); r++) {
      labels.fill(
        runs.component[r] as number,
        row * width + (runs.startX[r] as number),
        row * width + (runs.endX[r] as number) + 1,
      );
    }
  }
  return { labels, count, sizes, values };
}

/** Runs of one nonzero value along x, row by row, and the component of each. */
interface Runs {
  readonly rowCount: number;
  /** Index of the first run of each row; `rowStart[rowCount]` is the number of runs. */
  readonly rowStart: Int32Array;
  readonly startX: Int32Array;
  readonly endX: Int32Array;
  /** Component of each run, numbered 1..count in raster order of its first voxel. */
  readonly component: Int32Array;
}

/**
 * The components as runs, with their sizes and values. No per-voxel array is made: a 600-slice CT has ~10⁸ voxels but
 * ~10⁶ runs, and a fresh 600 MB label array cost more in page faults than the labelling itself.
 */
function componentsOf(
  voxels: VoxelArray,
  [depth, height, width]: readonly [number, number, number],
  connectivity: Connectivity,
): { runs: Runs; count: number; sizes: Int32Array; values: Float64Array } {
  const { codes, valueOf } = valueCodes(voxels);
  const table = new RunTable();
  const rowCount = depth * height;
  const rowStart = new Int32Array(rowCount + 1);
  const neighbourRows = backwardRows(connectivity);
  for (let row = 0; row < rowCount; row++) {
    const base = row * width;
    rowStart[row] = table.count;
    for (let x = 0; x < width;) {
      const code = codes[base + x] as number;
      if (code === 0) {
        x++;
        continue;
      }
      let end = x + 1;
      while (end < width && (codes[base + end] as number) === code) {
        end++;
      }
      table.push(x, end - 1, code);
      x = end;
    }
    rowStart[row + 1] = table.count;
    const z = Math.floor(row / height);
    const y = row - z * height;
    for (let n = 0; n < neighbourRows.length; n += 3) {
      const ny = y + (neighbourRows[n + 1] as number);
      if (z + (neighbourRows[n] as number) < 0 || ny < 0 || ny >= height) {
        continue;
      }
      const other = (z + (neighbourRows[n] as number)) * height + ny;
      table.joinRows(
        rowStart[row] as number,
        table.count,
        rowStart[other] as number,
        rowStart[other + 1] as number,
        neighbourRows[n + 2] as number,
      );
    }
  }
  // Components in raster order: a root is the smallest run of its set, so it is met before the rest of the set.
  const component = new Int32Array(table.count);
  const componentOfRoot = new Int32Array(table.count);
  let count = 0;
  for (let r = 0; r < table.count; r++) {
    const root = find(table.parent, r);
    if (root === r) {
      componentOfRoot[r] = ++count;
    }
    component[r] = componentOfRoot[root] as number;
  }
  const sizes = new Int32Array(count + 1);
  const values = new Float64Array(count + 1);
  for (let r = 0; r < table.count; r++) {
    const c = component[r] as number;
    sizes[c] = (sizes[c] as number) + (table.endX[r] as number) - (table.startX[r] as number) + 1;
    values[c] = valueOf[table.code[r] as number] as number;
  }
  return {
    runs: { rowCount, rowStart, startX: table.startX, endX: table.endX, component },
    count,
    sizes,
    values,
  };
}

/** Growable run arrays with a union-find forest over the runs. */
class RunTable {
  count = 0;
  startX = new Int32Array(1 << 14);
  endX = new Int32Array(1 << 14);
  code = new Int32Array(1 << 14);
  parent = new Int32Array(1 << 14);

  push(startX: number, endX: number, code: number): void {
    if (this.count === this.startX.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.startX = grow(this.startX);
      this.endX = grow(this.endX);
      this.code = grow(this.code);
      this.parent = grow(this.parent);
    }
    this.startX[this.count] = startX;
    this.endX[this.count] = endX;
    this.code[this.count] = code;
    this.parent[this.count] = this.count;
    this.count++;
  }

  /**
   * Joins each run of [from, to) with the runs of [otherFrom, otherTo) (an earlier row) holding the same code and
   * touching it: overlapping in x, or within `slack` voxels (1 where diagonal steps along x stay within the
   * connectivity). Both rows are sorted by x, so one sweep does it.
   */
  joinRows(from: number, to: number, otherFrom: number, otherTo: number, slack: number): void {
    const { startX, endX, code, parent } = this;
    let j = otherFrom;
    for (let i = from; i < to; i++) {
      const low = (startX[i] as number) - slack;
      const high = (endX[i] as number) + slack;
      while (j < otherTo && (endX[j] as number) < low) {
        j++;
      }
      for (let k = j; k < otherTo && (startX[k] as number) <= high; k++) {
        if (code[k] === code[i]) {
          union(parent, i, k);
        }
      }
    }
  }
}

/**
 * The rows a raster scan has passed that can touch the current row, as (dz, dy, slack) triples: the row above, and the
 * rows y−1, y, y+1 of the slice before, as far as `connectivity` reaches; `slack` 1 where a step along x may be added.
 */
function backwardRows(connectivity: Connectivity): Int8Array {
  const maxHops = connectivity === 6 ? 1 : connectivity === 18 ? 2 : 3;
  const list: number[] = [];
  for (let dz = -1; dz <= 0; dz++) {
    for (let dy = -1; dy <= (dz < 0 ? 1 : -1); dy++) {
      const hops = -dz + Math.abs(dy);
      if (hops <= maxHops) {
        list.push(dz, dy, hops < maxHops ? 1 : 0);
      }
    }
  }
  return Int8Array.from(list);
}

/**
 * The voxels as small integer codes (0 = background) and the value of each code. A uint8 map is its own code; other
 * dtypes are coded once, so the scan's loops read one element kind (indexing a VoxelArray there made them
 * megamorphic, several times slower).
 */
function valueCodes(voxels: VoxelArray): { codes: Uint8Array | Uint16Array | Int32Array; valueOf: Float64Array } {
  if (voxels instanceof Uint8Array) {
    return { codes: voxels, valueOf: Float64Array.from({ length: 256 }, (_, i) => i) };
  }
  const codeOf = new Map<number, number>([[0, 0]]);
  const scratch = new Float64Array(VOXEL_CHUNK);
  for (let start = 0; start < voxels.length; start += VOXEL_CHUNK) {
    const count = readVoxelChunk(voxels, start, scratch);
    let last = 0;
    for (let i = 0; i < count; i++) {
      const v = scratch[i] as number;
      if (v !== last) {
        last = v;
        if (!codeOf.has(v)) {
          codeOf.set(v, codeOf.size);
        }
      }
    }
  }
  const valueOf = Float64Array.from(codeOf.keys());
  const codes =
    codeOf.size <= 256
      ? new Uint8Array(voxels.length)
      : codeOf.size <= 65536
        ? new Uint16Array(voxels.length)
        : new Int32Array(voxels.length);
  for (let start = 0; start < voxels.length; start += VOXEL_CHUNK) {
    const count = readVoxelChunk(voxels, start, scratch);
    for (let i = 0; i < count; i++) {
      codes[start + i] = codeOf.get(scratch[i] as number) as number;
    }
  }
  return { codes, valueOf };
}

/** What {@link keepLargestComponents} acts on. */
export interface KeepLargestOptions {
  connectivity?: Connectivity;
  /** Label values to clean (default: every nonzero value); other values pass through untouched. */
  appliedLabels?: readonly number[];
  /**
   * True (default, as MONAI): each label keeps its own largest component. False: the applied labels form one
   * foreground and only its largest component survives, whatever labels it holds.
   */
  independent?: boolean;
}

/**
 * Zeroes every connected component but the largest (per label value by default), as MONAI's
 * KeepLargestConnectedComponent. Returns a new array of the same dtype; ties keep the component met first.
 *
 * @param spatialShape - [D, H, W] or [H, W] of `voxels` (one channel).
 */
export function keepLargestComponents(
  voxels: VoxelArray,
  spatialShape: readonly number[],
  options: KeepLargestOptions = {},
): VoxelArray {
  const applied = options.appliedLabels ? new Set(options.appliedLabels) : undefined;
  const independent = options.independent ?? true;
  // Non-independent labelling sees the applied labels as one value; other values become background there.
  let mask: VoxelArray = voxels;
  if (!independent) {
    mask = new Uint8Array(voxels.length);
    for (let i = 0; i < voxels.length; i++) {
      const value = voxels[i] as number;
      if (value !== 0 && (!applied || applied.has(value))) {
        mask[i] = 1;
      }
    }
  }
  const dhw = dhwOf(mask, spatialShape);
  const { runs, count, sizes, values } = componentsOf(mask, dhw, options.connectivity ?? 26);
  // Keep a component when its value is not cleaned, or when it is the largest of its value.
  const keep = new Uint8Array(count + 1);
  const largestOf = new Map<number, number>();
  for (let c = 1; c <= count; c++) {
    const value = values[c] as number;
    if (independent && applied && !applied.has(value)) {
      keep[c] = 1;
      continue;
    }
    const best = largestOf.get(value);
    if (best === undefined || (sizes[c] as number) > (sizes[best] as number)) {
      largestOf.set(value, c);
    }
  }
  for (const c of largestOf.values()) {
    keep[c] = 1;
  }
  // A native copy, then the runs of the components that go are zeroed.
  const out = allocateVoxels(dtypeOf(voxels), voxels.length);
  out.set(voxels);
  const width = dhw[2];
  for (let row = 0; row < runs.rowCount; row++) {
    for (let r = runs.rowStart[row] as number; r < (runs.rowStart[row + 1] as number); r++) {
      if (keep[runs.component[r] as number] === 0) {
        out.fill(0, row * width + (runs.startX[r] as number), row * width + (runs.endX[r] as number) + 1);
      }
    }
  }
  return out;
}

function dhwOf(voxels: VoxelArray, spatialShape: readonly number[]): [number, number, number] {
  const dhw = spatialShape.length === 2 ? [1, ...spatialShape] : [...spatialShape];
  const count = dhw.reduce((a, b) => a * b, 1);
  if (dhw.length !== 3 || count !== voxels.length) {
    throw new InvalidInputError(
      `connected components: spatial shape [${spatialShape.join(', ')}] does not hold ${voxels.length} voxels`,
    );
  }
  return dhw as [number, number, number];
}

function find(parent: Int32Array, label: number): number {
  let p = label;
  while (parent[p] !== p) {
    // Path halving keeps the trees flat without recursion.
    const grand = parent[parent[p] as number] as number;
    parent[p] = grand;
    p = grand;
  }
  return p;
}

/** Joins the sets of `a` and `b` under the smaller root and returns it. */
function union(parent: Int32Array, a: number, b: number): number {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra === rb) {
    return ra;
  }
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}
