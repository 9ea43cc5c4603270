import { InvalidNiftiError } from '../errors';
import { type Mat4, mat4FromRows } from '../image/affine';
import { nearestOrthogonal3 } from '../image/orientation';
import type { NiftiHeader } from '../image/nifti-header';

/**
 * Voxel (i, j, k) → RAS+ mm from a header, chosen as nibabel's `get_best_affine` chooses: the sform when
 * `sform_code ≠ 0`, else the qform when `qform_code ≠ 0`, else nibabel's fallback (`baseAffine`).
 */
export function affineFromHeader(header: NiftiHeader): Mat4 {
  if (header.sformCode !== 0) {
    return mat4FromRows([header.srowX, header.srowY, header.srowZ, [0, 0, 0, 1]]);
  }
  if (header.qformCode !== 0) {
    return qformAffine(header);
  }
  return baseAffine(header);
}

/**
 * {@link affineFromHeader}, refused when it cannot place the image in space: a NaN or infinite entry, or voxel axes
 * that are zero or (nearly) parallel, i.e. a singular matrix that no crop, resample or click mapping can invert.
 * @throws InvalidNiftiError naming the header fields the affine came from.
 */
export function checkedAffineFromHeader(header: NiftiHeader, source: string): Mat4 {
  const affine = affineFromHeader(header);
  const field =
    header.sformCode !== 0 ? 'srow_x/y/z' : header.qformCode !== 0 ? 'quatern_b/c/d, qoffset, pixdim' : 'pixdim[1..3]';
  const m = (r: number, c: number): number => affine[r * 4 + c] as number;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) {
      if (!Number.isFinite(m(r, c))) {
        throw new InvalidNiftiError(
          source,
          field,
          `the voxel-to-world affine holds ${m(r, c)} at row ${r}, column ${c}`,
        );
      }
    }
  }
  const det =
    m(0, 0) * (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) -
    m(0, 1) * (m(1, 0) * m(2, 2) - m(1, 2) * m(2, 0)) +
    m(0, 2) * (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0));
  const norms = [0, 1, 2].map((c) => Math.hypot(m(0, c), m(1, c), m(2, c)));
  const volume = (norms[0] as number) * (norms[1] as number) * (norms[2] as number);
  // Relative to the column lengths: 1e-9 of the box the voxel axes span is parallel for any voxel size.
  if (volume === 0 || Math.abs(det) < 1e-9 * volume) {
    throw new InvalidNiftiError(
      source,
      field,
      `the voxel-to-world affine is singular (determinant ${det.toPrecision(3)}, voxel axes of length ${norms.map((n) => n.toPrecision(3)).join(', ')} mm): the image cannot be placed in space`,
    );
  }
  return affine;
}

/**
 * nibabel's fallback when neither transform is set (`get_base_affine`, Analyze's convention): voxel sizes from
 * pixdim with i flipped (radiological, L→R reversed), the volume centred on the origin. Sizes of 0 (unset) read as 1
 * so that the affine stays invertible.
 */
export function baseAffine(header: NiftiHeader): Mat4 {
  const rank = header.dims[0] ?? 3;
  const size = (i: number): number => (i <= rank ? (header.dims[i] ?? 1) : 1);
  const zoom = (i: number): number => (i <= rank ? header.pixDims[i] || 1 : 1);
  const [zx, zy, zz] = [-zoom(1), zoom(2), zoom(3)];
  return mat4FromRows([
    [zx, 0, 0, (-(size(1) - 1) / 2) * zx],
    [0, zy, 0, (-(size(2) - 1) / 2) * zy],
    [0, 0, zz, (-(size(3) - 1) / 2) * zz],
    [0, 0, 0, 1],
  ]);
}

/** The qform as an affine, following nifti1_io's `nifti_quatern_to_mat44`. */
export function qformAffine(header: NiftiHeader): Mat4 {
  let b = header.quaternB;
  let c = header.quaternC;
  let d = header.quaternD;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // b, c, d were stored in float and slightly exceed a unit quaternion: renormalise with a 180° rotation.
    a = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= a;
    c *= a;
    d *= a;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  const [qfacRaw = 1, dxRaw = 1, dyRaw = 1, dzRaw = 1] = header.pixDims;
  const dx = dxRaw > 0 ? dxRaw : 1;
  const dy = dyRaw > 0 ? dyRaw : 1;
  const dz = (dzRaw > 0 ? dzRaw : 1) * (qfacRaw < 0 ? -1 : 1);
  return mat4FromRows([
    [(a * a + b * b - c * c - d * d) * dx, 2 * (b * c - a * d) * dy, 2 * (b * d + a * c) * dz, header.qoffsetX],
    [2 * (b * c + a * d) * dx, (a * a + c * c - b * b - d * d) * dy, 2 * (c * d - a * b) * dz, header.qoffsetY],
    [2 * (b * d - a * c) * dx, 2 * (c * d + a * b) * dy, (a * a + d * d - c * c - b * b) * dz, header.qoffsetZ],
    [0, 0, 0, 1],
  ]);
}

/** The qform fields that represent `affine` as closely as a rotation, voxel sizes and a flip can. */
export interface QformFields {
  quaternB: number;
  quaternC: number;
  quaternD: number;
  qoffsetX: number;
  qoffsetY: number;
  qoffsetZ: number;
  /** pixdim[0]: -1 when the k axis is flipped (left-handed voxel axes), else 1. */
  qfac: number;
  /** pixdim[1..3]: column lengths of the affine, mm. */
  pixDimsMm: [number, number, number];
}

/**
 * Decomposes an affine into qform fields, as nifti1_io's `nifti_mat44_to_quatern` does: column lengths become
 * pixdim, a negative determinant flips k (qfac = -1), the nearest rotation (polar decomposition) becomes the
 * quaternion. Shears, which a qform cannot hold, are dropped; the sform keeps them.
 */
export function qformFromAffine(affine: Mat4): QformFields {
  const m = (r: number, c: number): number => affine[r * 4 + c] as number;
  const zooms = [0, 1, 2].map((c) => Math.hypot(m(0, c), m(1, c), m(2, c)) || 1) as [number, number, number];
  const r = new Float64Array(9);
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      r[row * 3 + col] = m(row, col) / (zooms[col] as number);
    }
  }
  let qfac = 1;
  if (det3(r) < 0) {
    qfac = -1;
    r[2] = -(r[2] as number);
    r[5] = -(r[5] as number);
    r[8] = -(r[8] as number);
  }
  const q = nearestOrthogonal3(r);
  const e = (row: number, col: number): number => q[row * 3 + col] as number;
  let a = e(0, 0) + e(1, 1) + e(2, 2) + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (e(2, 1) - e(1, 2))) / a;
    c = (0.25 * (e(0, 2) - e(2, 0))) / a;
    d = (0.25 * (e(1, 0) - e(0, 1))) / a;
  } else {
    const xd = 1 + e(0, 0) - (e(1, 1) + e(2, 2));
    const yd = 1 + e(1, 1) - (e(0, 0) + e(2, 2));
    const zd = 1 + e(2, 2) - (e(0, 0) + e(1, 1));
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (e(0, 1) + e(1, 0))) / b;
      d = (0.25 * (e(0, 2) + e(2, 0))) / b;
      a = (0.25 * (e(2, 1) - e(1, 2))) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (e(0, 1) + e(1, 0))) / c;
      d = (0.25 * (e(1, 2) + e(2, 1))) / c;
      a = (0.25 * (e(0, 2) - e(2, 0))) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (e(0, 2) + e(2, 0))) / d;
      c = (0.25 * (e(1, 2) + e(2, 1))) / d;
      a = (0.25 * (e(1, 0) - e(0, 1))) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return {
    quaternB: b,
    quaternC: c,
    quaternD: d,
    qoffsetX: m(0, 3),
    qoffsetY: m(1, 3),
    qoffsetZ: m(2, 3),
    qfac,
    pixDimsMm: zooms,
  };
}

function det3(m: Float64Array): number {
  const g = (i: number): number => m[i] as number;
  return g(0) * (g(4) * g(8) - g(5) * g(7)) - g(1) * (g(3) * g(8) - g(5) * g(6)) + g(2) * (g(3) * g(7) - g(4) * g(6));
}
