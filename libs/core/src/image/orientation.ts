import { InvalidInputError } from '../errors';
import { type Mat4, multiplyMat4 } from './affine';
import { allocateVoxels, dtypeOf } from './dtype';
import type { MedicalImage } from './medical-image';

/** Letters of the negative and positive ends of the RAS+ world axes, as nibabel names them. */
const AXIS_LABELS = [
  ['L', 'R'],
  ['P', 'A'],
  ['I', 'S'],
] as const;

/**
 * For each voxel axis (i, j, k): the world axis (0 = x/R, 1 = y/A, 2 = z/S) it runs closest to and its direction,
 * or undefined for an axis with no extent. nibabel's `io_orientation`: the columns of the nearest orthogonal matrix
 * (polar factor of the affine with unit columns) are matched greedily in i, j, k order.
 */
export function voxelAxesOrientation(affine: Mat4): ({ worldAxis: number; sign: 1 | -1 } | undefined)[] {
  const rs = new Float64Array(9);
  for (let c = 0; c < 3; c++) {
    const norm = Math.hypot(affine[c] as number, affine[4 + c] as number, affine[8 + c] as number) || 1;
    for (let r = 0; r < 3; r++) {
      rs[r * 3 + c] = (affine[r * 4 + c] as number) / norm;
    }
  }
  const r = nearestOrthogonal3(rs);
  const out: ({ worldAxis: number; sign: 1 | -1 } | undefined)[] = [];
  for (let c = 0; c < 3; c++) {
    let best = -1;
    let bestAbs = 1e-8;
    for (let row = 0; row < 3; row++) {
      const v = Math.abs(r[row * 3 + c] as number);
      if (v > bestAbs) {
        best = row;
        bestAbs = v;
      }
    }
    if (best < 0) {
      out.push(undefined);
      continue;
    }
    out.push({ worldAxis: best, sign: (r[best * 3 + c] as number) < 0 ? -1 : 1 });
    // A world axis is taken once: later voxel axes must pick another.
    for (let col = 0; col < 3; col++) {
      r[best * 3 + col] = 0;
    }
  }
  return out;
}

/**
 * The orientation codes of the voxel axes i, j, k, e.g. `['R', 'A', 'S']` or `['L', 'A', 'S']` — nibabel's
 * `aff2axcodes`: each letter is the world direction the axis increases towards. An axis with no extent gets `'?'`.
 */
export function axisCodes(affine: Mat4): [string, string, string] {
  const codes = voxelAxesOrientation(affine).map((o) =>
    o ? (AXIS_LABELS[o.worldAxis]?.[o.sign > 0 ? 1 : 0] ?? '?') : '?',
  );
  return [codes[0] ?? '?', codes[1] ?? '?', codes[2] ?? '?'];
}

/** The result of {@link closestCanonical}. */
export interface Reorientation {
  image: MedicalImage;
  /** For input voxel axis a (0 = i, 1 = j, 2 = k): the output axis it became. */
  permutation: [number, number, number];
  /** For input voxel axis a: whether it was reversed. */
  flipped: [boolean, boolean, boolean];
}

/**
 * nibabel's `as_closest_canonical`: flips and permutes the voxel axes, without resampling, so that i, j, k run as
 * close as possible to R, A, S. The affine is updated exactly (the world position of every voxel is unchanged).
 * Returns the image itself when it is already closest to RAS+. The header is kept for its metadata only: geometry is
 * the new shape and affine.
 *
 * @throws InvalidInputError for channels-last or 2-D shape formats, or an affine with an axis of no extent.
 */
export function closestCanonical(image: MedicalImage): Reorientation {
  const orientation = voxelAxesOrientation(image.affine);
  const permutation: number[] = [];
  const flipped: boolean[] = [];
  for (const [axis, o] of orientation.entries()) {
    if (!o) {
      throw new InvalidInputError(
        `${image.source}: voxel axis ${'ijk'[axis]} has no direction in the affine; cannot reorient`,
      );
    }
    permutation.push(o.worldAxis);
    flipped.push(o.sign < 0);
  }
  const p = permutation as [number, number, number];
  const f = flipped as [boolean, boolean, boolean];
  return { image: reorient(image, p, f), permutation: p, flipped: f };
}

/**
 * Parses orientation codes such as `LIA` or `RAS`: for each voxel axis (i, j, k), the world axis it must run along and
 * its direction. Letters are nibabel's (L/R, P/A, I/S, any case); each world axis appears once.
 * @throws InvalidInputError naming the codes when they are not three letters of three different world axes.
 */
export function parseAxisCodes(codes: string): { worldAxis: number; sign: 1 | -1 }[] {
  const letters = codes.toUpperCase().split('');
  const parsed = letters.map((letter) => {
    const worldAxis = AXIS_LABELS.findIndex((pair) => (pair as readonly string[]).includes(letter));
    const pair = AXIS_LABELS[worldAxis];
    return pair ? { worldAxis, sign: (pair[1] === letter ? 1 : -1) as 1 | -1 } : undefined;
  });
  const axes = new Set(parsed.map((p) => p?.worldAxis));
  if (letters.length !== 3 || parsed.some((p) => !p) || axes.size !== 3) {
    throw new InvalidInputError(
      `orientation codes '${codes}' must be three letters, one each of L/R, P/A and I/S (e.g. RAS, LIA)`,
    );
  }
  return parsed as { worldAxis: number; sign: 1 | -1 }[];
}

/**
 * nibabel's `ornt_transform` + `apply_orientation`, as MONAI's Orientation does it: flips and permutes the voxel axes,
 * without resampling, so that i, j, k run towards the letters of `codes` (e.g. `LIA`: i towards Left, j towards
 * Inferior, k towards Anterior). The affine is updated exactly. Returns the image itself when it already is so.
 *
 * @throws InvalidInputError for bad codes (see {@link parseAxisCodes}), channels-last or 2-D shape formats, or an
 *   affine with an axis of no extent.
 */
export function reorientToCodes(image: MedicalImage, codes: string): Reorientation {
  const target = parseAxisCodes(codes);
  const permutation: number[] = [];
  const flipped: boolean[] = [];
  for (const [axis, o] of voxelAxesOrientation(image.affine).entries()) {
    if (!o) {
      throw new InvalidInputError(
        `${image.source}: voxel axis ${'ijk'[axis]} has no direction in the affine; cannot reorient`,
      );
    }
    const to = target.findIndex((t) => t.worldAxis === o.worldAxis);
    permutation.push(to);
    flipped.push(o.sign !== target[to]?.sign);
  }
  const p = permutation as [number, number, number];
  const f = flipped as [boolean, boolean, boolean];
  return { image: reorient(image, p, f), permutation: p, flipped: f };
}

/**
 * Undoes {@link closestCanonical} (or `reorientToCodes`): given its `permutation` and `flipped`, brings an image on
 * the reoriented grid (e.g.
 * a segmentation computed on it) back to the original voxel grid. Voxels are restored exactly; the affine to
 * floating-point rounding.
 */
export function undoReorientation(
  image: MedicalImage,
  permutation: readonly [number, number, number],
  flipped: readonly [boolean, boolean, boolean],
): MedicalImage {
  // The inverse maps output axis b back to input axis a = permutation⁻¹[b], reversed if a was.
  const inverse: [number, number, number] = [0, 0, 0];
  const inverseFlipped: [boolean, boolean, boolean] = [false, false, false];
  for (let a = 0; a < 3; a++) {
    const b = permutation[a] as number;
    inverse[b] = a;
    inverseFlipped[b] = flipped[a] as boolean;
  }
  return reorient(image, inverse, inverseFlipped);
}

/** Moves input voxel axis a to output axis permutation[a], reversed when flipped[a]; the affine follows exactly. */
function reorient(
  image: MedicalImage,
  permutation: readonly [number, number, number],
  flipped: readonly [boolean, boolean, boolean],
): MedicalImage {
  if (permutation.some((b, a) => b !== a) === false && !flipped.some(Boolean)) {
    return image;
  }
  if (new Set(permutation).size !== 3 || permutation.some((b) => b < 0 || b > 2 || !Number.isInteger(b))) {
    throw new InvalidInputError(`permutation [${permutation.join(', ')}] is not a permutation of 0, 1, 2`);
  }
  const format = image.shapeFormat;
  if (!format.endsWith('DHW')) {
    throw new InvalidInputError(
      `${image.source}: cannot reorient a ${format} image; spatial axes must be last (DHW, CDHW, NCDHW)`,
    );
  }
  const sizeIn = image.sizeIjk;
  const sizeOut: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    sizeOut[permutation[a] as number] = sizeIn[a] as number;
  }
  // Input offset of output voxel (ni, nj, nk) = base + Σ_b n_b · step[b].
  const strideIn = [1, sizeIn[0], sizeIn[0] * sizeIn[1]];
  const step = [0, 0, 0];
  let base = 0;
  // M maps output indices to input indices; new affine = affine · M.
  const m = new Float64Array(16);
  m[15] = 1;
  for (let a = 0; a < 3; a++) {
    const b = permutation[a] as number;
    const sign = flipped[a] ? -1 : 1;
    step[b] = sign * (strideIn[a] as number);
    m[a * 4 + b] = sign;
    if (flipped[a]) {
      base += ((sizeIn[a] as number) - 1) * (strideIn[a] as number);
      m[a * 4 + 3] = (sizeIn[a] as number) - 1;
    }
  }
  const src = image.voxels;
  const out = allocateVoxels(dtypeOf(src), src.length);
  const volume = sizeIn[0] * sizeIn[1] * sizeIn[2];
  const outer = src.length / volume;
  const [nx, ny, nz] = sizeOut;
  const [si, sj, sk] = step as [number, number, number];
  let o = 0;
  for (let c = 0; c < outer; c++) {
    const volumeBase = c * volume + base;
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        let at = volumeBase + k * sk + j * sj;
        if (si === 1) {
          // i kept its direction: the row is contiguous in the input too.
          out.set(src.subarray(at, at + nx), o);
          o += nx;
          continue;
        }
        for (let i = 0; i < nx; i++, at += si) {
          out[o++] = src[at] as number;
        }
      }
    }
  }
  const shape = [...image.shape.slice(0, image.shape.length - 3), nz, ny, nx];
  return image.with({ voxels: out, shape, affine: multiplyMat4(image.affine, m) });
}

/**
 * The orthogonal factor of the polar decomposition of a 3×3 row-major matrix (the orthogonal matrix nearest to it),
 * by Higham's iteration X ← (X + X⁻ᵀ) / 2, at most 50 steps. A singular matrix is returned as it is.
 */
export function nearestOrthogonal3(m: Float64Array): Float64Array {
  let x = Float64Array.from(m);
  for (let step = 0; step < 50; step++) {
    const g = (i: number): number => x[i] as number;
    const det =
      g(0) * (g(4) * g(8) - g(5) * g(7)) - g(1) * (g(3) * g(8) - g(5) * g(6)) + g(2) * (g(3) * g(7) - g(4) * g(6));
    if (!(Math.abs(det) > 1e-12)) {
      break;
    }
    // X⁻ᵀ = cofactor(X) / det(X).
    const cofactor = [
      g(4) * g(8) - g(5) * g(7),
      g(5) * g(6) - g(3) * g(8),
      g(3) * g(7) - g(4) * g(6),
      g(2) * g(7) - g(1) * g(8),
      g(0) * g(8) - g(2) * g(6),
      g(1) * g(6) - g(0) * g(7),
      g(1) * g(5) - g(2) * g(4),
      g(2) * g(3) - g(0) * g(5),
      g(0) * g(4) - g(1) * g(3),
    ];
    const next = new Float64Array(9);
    let change = 0;
    for (let i = 0; i < 9; i++) {
      next[i] = 0.5 * (g(i) + (cofactor[i] as number) / det);
      change += Math.abs((next[i] as number) - g(i));
    }
    x = next;
    if (change < 1e-15) {
      break;
    }
  }
  return x;
}
