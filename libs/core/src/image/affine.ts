/**
 * A 4×4 homogeneous matrix, row-major, in a Float64Array of 16. As an image affine it maps voxel indices
 * (i, j, k, 1) — i along the fastest-varying axis (W), j along H, k along D, as NIfTI counts them — to RAS+
 * millimetres.
 */
export type Mat4 = Float64Array;

/** The 4×4 identity. */
export function identityMat4(): Mat4 {
  return mat4FromRows([
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ]);
}

/** A matrix from four rows of four numbers. */
export function mat4FromRows(rows: readonly (readonly number[])[]): Mat4 {
  const m = new Float64Array(16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      m[r * 4 + c] = rows[r]?.[c] ?? 0;
    }
  }
  return m;
}

/** The rows of `m` as plain arrays (for JSON and tests). */
export function mat4ToRows(m: Mat4): number[][] {
  return [0, 1, 2, 3].map((r) => Array.from(m.subarray(r * 4, r * 4 + 4)));
}

/** `a · b`. */
export function multiplyMat4(a: Mat4, b: Mat4): Mat4 {
  const out = new Float64Array(16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) {
        sum += (a[r * 4 + k] as number) * (b[k * 4 + c] as number);
      }
      out[r * 4 + c] = sum;
    }
  }
  return out;
}

/** The inverse of `m` (Gauss–Jordan with partial pivoting); throws on a singular matrix. */
export function invertMat4(m: Mat4): Mat4 {
  const a = Float64Array.from(m);
  const inv = identityMat4();
  for (let col = 0; col < 4; col++) {
    let pivot = col;
    for (let r = col + 1; r < 4; r++) {
      if (Math.abs(a[r * 4 + col] as number) > Math.abs(a[pivot * 4 + col] as number)) {
        pivot = r;
      }
    }
    const p = a[pivot * 4 + col] as number;
    if (Math.abs(p) < 1e-12) {
      throw new RangeError('affine is singular and cannot be inverted');
    }
    if (pivot !== col) {
      swapRows(a, pivot, col);
      swapRows(inv, pivot, col);
    }
    for (let c = 0; c < 4; c++) {
      a[col * 4 + c] = (a[col * 4 + c] as number) / p;
      inv[col * 4 + c] = (inv[col * 4 + c] as number) / p;
    }
    for (let r = 0; r < 4; r++) {
      if (r === col) {
        continue;
      }
      const f = a[r * 4 + col] as number;
      if (f === 0) {
        continue;
      }
      for (let c = 0; c < 4; c++) {
        a[r * 4 + c] = (a[r * 4 + c] as number) - f * (a[col * 4 + c] as number);
        inv[r * 4 + c] = (inv[r * 4 + c] as number) - f * (inv[col * 4 + c] as number);
      }
    }
  }
  return inv;
}

function swapRows(m: Float64Array, r1: number, r2: number): void {
  for (let c = 0; c < 4; c++) {
    const t = m[r1 * 4 + c] as number;
    m[r1 * 4 + c] = m[r2 * 4 + c] as number;
    m[r2 * 4 + c] = t;
  }
}

/** `m · (x, y, z, 1)`, the first three components. */
export function applyMat4(m: Mat4, point: readonly [number, number, number]): [number, number, number] {
  const [x, y, z] = point;
  const row = (r: number): number =>
    (m[r * 4] as number) * x + (m[r * 4 + 1] as number) * y + (m[r * 4 + 2] as number) * z + (m[r * 4 + 3] as number);
  return [row(0), row(1), row(2)];
}

/** Voxel size in mm along i, j, k: the lengths of the affine's first three columns. */
export function spacingFromAffine(m: Mat4): [number, number, number] {
  const norm = (c: number): number => Math.hypot(m[c] as number, m[4 + c] as number, m[8 + c] as number);
  return [norm(0), norm(1), norm(2)];
}

/** An affine that scales voxel axes i, j, k by `spacingMm` and translates by `originMm`. */
export function scalingAffine(spacingMm: readonly number[], originMm: readonly number[] = [0, 0, 0]): Mat4 {
  return mat4FromRows([
    [spacingMm[0] ?? 1, 0, 0, originMm[0] ?? 0],
    [0, spacingMm[1] ?? 1, 0, originMm[1] ?? 0],
    [0, 0, spacingMm[2] ?? 1, originMm[2] ?? 0],
    [0, 0, 0, 1],
  ]);
}
