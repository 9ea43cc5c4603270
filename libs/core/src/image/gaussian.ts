import { InvalidInputError } from '../errors';

/** Gaussians are cut off at this many sigmas, as scipy's `gaussian_filter` (`truncate=4.0`) and MONAI's filter do. */
export const GAUSSIAN_TRUNCATE = 4;

/**
 * Adds one Gaussian bump of peak 1, `exp(-d² / (2σ²))` with `d` measured per axis in voxels, around each centre to
 * `out` (a `D×H×W` volume, x fastest); bumps that overlap add up. Each bump stops `round(4σ)` voxels from its centre.
 *
 * This is the same field as placing a 1 at each centre and running a separable Gaussian filter whose kernel is not
 * normalised, so after a min-max rescale it equals MONAI's `extreme_points_to_image` and deepgrow's guidance signal.
 * Few centres are drawn one box at a time (outer product of three 1-D tables); many centres use three 1-D
 * convolutions of the volume instead, whichever touches fewer voxels. No per-voxel objects either way.
 *
 * @param dhw - the volume's [D, H, W] (D = 1 for a 2-D image).
 * @param centres - integer voxel positions [x, y, z] inside the volume.
 * @param sigmaIjk - standard deviation in voxels along x, y, z (the z value is unused when D = 1).
 * @throws InvalidInputError when a sigma is not positive or a centre lies outside the volume.
 */
export function addGaussianBumps(
  out: Float32Array,
  dhw: readonly [number, number, number],
  centres: readonly (readonly [number, number, number])[],
  sigmaIjk: readonly [number, number, number],
): void {
  const [d, h, w] = dhw;
  if (out.length !== d * h * w) {
    throw new RangeError(`Gaussian output holds ${out.length} values, expected ${d}×${h}×${w}`);
  }
  if (sigmaIjk.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw new InvalidInputError(`sigma [${sigmaIjk.join(', ')}] must be positive voxel counts`);
  }
  for (const [x, y, z] of centres) {
    if (!(x >= 0 && x < w && y >= 0 && y < h && z >= 0 && z < d) || ![x, y, z].every(Number.isInteger)) {
      throw new InvalidInputError(`Gaussian centre [${x}, ${y}, ${z}] is not a voxel of a ${w}×${h}×${d} grid`);
    }
  }
  const sizes = [w, h, d];
  const radii = sigmaIjk.map((s) => Math.floor(GAUSSIAN_TRUNCATE * s + 0.5));
  const spans = radii.map((r, a) => Math.min(2 * r + 1, sizes[a] as number));
  const perBox = spans.reduce((p, s) => p * s, 1) * centres.length;
  const perVolume = d * h * w * spans.reduce((p, s) => p + s, 0);
  if (perBox <= perVolume) {
    for (const centre of centres) {
      addBox(out, dhw, centre, sigmaIjk, radii);
    }
  } else {
    convolveDeltas(out, dhw, centres, sigmaIjk, radii);
  }
}

/**
 * Rescales `values` in place so that their minimum becomes `lo` and their maximum `hi` (MONAI's `ScaleIntensity`).
 * A constant array becomes `hi` when it is positive (a single voxel holding a bump) and `lo` otherwise (no bumps).
 */
export function rescaleMinMax(values: Float32Array, lo: number, hi: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
  }
  if (!(max > min)) {
    values.fill(max > 0 ? hi : lo);
    return;
  }
  const scale = (hi - lo) / (max - min);
  for (let i = 0; i < values.length; i++) {
    values[i] = ((values[i] as number) - min) * scale + lo;
  }
}

/** exp(-t² / (2σ²)) for t = from - centre .. to - centre. */
function table(from: number, to: number, centre: number, sigma: number): Float64Array {
  const out = new Float64Array(to - from + 1);
  const k = -1 / (2 * sigma * sigma);
  for (let i = from; i <= to; i++) {
    out[i - from] = Math.exp((i - centre) * (i - centre) * k);
  }
  return out;
}

function addBox(
  out: Float32Array,
  dhw: readonly [number, number, number],
  centre: readonly [number, number, number],
  sigmaIjk: readonly [number, number, number],
  radii: readonly number[],
): void {
  const [d, h, w] = dhw;
  const [cx, cy, cz] = centre;
  const [rx, ry, rz] = radii as [number, number, number];
  const x0 = Math.max(0, cx - rx);
  const x1 = Math.min(w - 1, cx + rx);
  const y0 = Math.max(0, cy - ry);
  const y1 = Math.min(h - 1, cy + ry);
  const z0 = Math.max(0, cz - rz);
  const z1 = Math.min(d - 1, cz + rz);
  const gx = table(x0, x1, cx, sigmaIjk[0]);
  const gy = table(y0, y1, cy, sigmaIjk[1]);
  const gz = table(z0, z1, cz, sigmaIjk[2]);
  for (let z = z0; z <= z1; z++) {
    const fz = gz[z - z0] as number;
    for (let y = y0; y <= y1; y++) {
      const fzy = fz * (gy[y - y0] as number);
      const row = (z * h + y) * w;
      for (let x = x0; x <= x1; x++) {
        out[row + x] = (out[row + x] as number) + fzy * (gx[x - x0] as number);
      }
    }
  }
}

/** Places a 1 per centre in a scratch volume, then convolves along x, y and z with the truncated kernel. */
function convolveDeltas(
  out: Float32Array,
  dhw: readonly [number, number, number],
  centres: readonly (readonly [number, number, number])[],
  sigmaIjk: readonly [number, number, number],
  radii: readonly number[],
): void {
  const [d, h, w] = dhw;
  let current = new Float64Array(d * h * w);
  for (const [x, y, z] of centres) {
    const i = (z * h + y) * w + x;
    current[i] = (current[i] as number) + 1;
  }
  // Axis a of (x, y, z): viewed as [outer, size, inner] with inner the stride of that axis.
  const views: [number, number, number][] = [
    [d * h, w, 1],
    [d, h, w],
    [1, d, h * w],
  ];
  for (let a = 0; a < 3; a++) {
    const [outer, size, inner] = views[a] as [number, number, number];
    if (size === 1) {
      continue;
    }
    const r = radii[a] as number;
    const kernel = table(-r, r, 0, sigmaIjk[a] as number);
    const next = new Float64Array(current.length);
    convolveAxis(current, next, outer, size, inner, kernel, r);
    current = next;
  }
  for (let i = 0; i < out.length; i++) {
    out[i] = (out[i] as number) + (current[i] as number);
  }
}

/** Zero-padded 1-D convolution along the middle axis of an [outer, size, inner] array; inner loop contiguous. */
function convolveAxis(
  src: Float64Array,
  dst: Float64Array,
  outer: number,
  size: number,
  inner: number,
  kernel: Float64Array,
  r: number,
): void {
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let s = 0; s < size; s++) {
      const to = base + s * inner;
      const t0 = Math.max(-r, -s);
      const t1 = Math.min(r, size - 1 - s);
      for (let t = t0; t <= t1; t++) {
        const k = kernel[t + r] as number;
        const from = base + (s + t) * inner;
        for (let i = 0; i < inner; i++) {
          dst[to + i] = (dst[to + i] as number) + k * (src[from + i] as number);
        }
      }
    }
  }
}
