import { InvalidInputError } from '../errors';
import { type VoxelArray, allocateVoxels, dtypeOf } from './dtype';

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
 * Labels connected components with a two-pass union-find over the voxels (raster scan, then one resolve pass).
 * Voxels are connected when they touch under `connectivity` and hold the same nonzero value, so each label of a
 * multi-label map gets its own components; 0 is background.
 *
 * @param spatialShape [D, H, W] or [H, W] of `voxels` (one channel).
 * @throws InvalidInputError when the shape does not hold `voxels.length` voxels.
 */
export function labelComponents(
  voxels: VoxelArray,
  spatialShape: readonly number[],
  connectivity: Connectivity = 26,
): ComponentLabels {
  const [depth, height, width] = dhwOf(voxels, spatialShape);
  const offsets = backwardNeighbours(connectivity);
  const labels = new Int32Array(voxels.length);
  let parent = new Int32Array(1024);
  let next = 1;
  let v = 0;
  for (let z = 0; z < depth; z++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++, v++) {
        const value = voxels[v] as number;
        if (value === 0) {
          continue;
        }
        let label = 0;
        for (let n = 0; n < offsets.length; n += 3) {
          const dz = offsets[n] as number;
          const dy = offsets[n + 1] as number;
          const dx = offsets[n + 2] as number;
          const nx = x + dx;
          const ny = y + dy;
          if (z + dz < 0 || ny < 0 || nx < 0 || nx >= width) {
            continue;
          }
          const u = ((z + dz) * height + ny) * width + nx;
          if ((voxels[u] as number) !== value) {
            continue;
          }
          const other = labels[u] as number;
          label = label === 0 ? other : union(parent, label, other);
        }
        if (label === 0) {
          if (next === parent.length) {
            const grown = new Int32Array(parent.length * 2);
            grown.set(parent);
            parent = grown;
          }
          parent[next] = next;
          label = next++;
        }
        labels[v] = label;
      }
    }
  }
  // Resolve pass: provisional label → root → compact component id.
  const compact = new Int32Array(next);
  let count = 0;
  for (let p = 1; p < next; p++) {
    const root = find(parent, p);
    compact[p] = root === p ? ++count : (compact[root] as number);
  }
  const sizes = new Int32Array(count + 1);
  const values = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) {
    const p = labels[i] as number;
    if (p !== 0) {
      const c = compact[p] as number;
      labels[i] = c;
      sizes[c] = (sizes[c] as number) + 1;
      values[c] = voxels[i] as number;
    }
  }
  return { labels, count, sizes, values };
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
 * @param spatialShape [D, H, W] or [H, W] of `voxels` (one channel).
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
  const { labels, count, sizes, values } = labelComponents(mask, spatialShape, options.connectivity ?? 26);
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
  const out = allocateVoxels(dtypeOf(voxels), voxels.length);
  for (let i = 0; i < voxels.length; i++) {
    const c = labels[i] as number;
    if (c === 0 || keep[c] === 1) {
      out[i] = voxels[i] as number;
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

/** The (dz, dy, dx) neighbours already visited by a raster scan, flattened in triples. */
function backwardNeighbours(connectivity: Connectivity): Int8Array {
  const maxHops = connectivity === 6 ? 1 : connectivity === 18 ? 2 : 3;
  const list: number[] = [];
  for (let dz = -1; dz <= 0; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const before = dz < 0 || (dz === 0 && (dy < 0 || (dy === 0 && dx < 0)));
        const hops = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
        if (before && hops <= maxHops) {
          list.push(dz, dy, dx);
        }
      }
    }
  }
  return Int8Array.from(list);
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
