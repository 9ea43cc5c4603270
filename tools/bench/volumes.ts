import { existsSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MedicalImage, scalingAffine, writeNifti } from '@aiaa/core';

/** The repository root (tools/bench → ../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** `../shared/data` beside the checkout: real volumes too large for the repository. */
export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');

/** The real CT of the shared data, or undefined (with the reason) when `../shared` is missing. */
export function sharedCt(): { file: string } | { missing: string } {
  const file = path.join(SHARED_DATA, 'spleen_8_ct.nii.gz');
  return existsSync(file) ? { file } : { missing: `${file} is missing: the real-CT figures are skipped` };
}

/** Size of the synthetic volume: 512×512×600 int16, as issue-sized CTs are. */
export const SYNTHETIC_SHAPE_DHW = [600, 512, 512] as const;

/**
 * A CT-like int16 volume (air, body ellipse with noise, a bright organ blob, bone ring), deterministic, built once
 * and cached as `.nii.gz` in the OS temp dir so reruns skip the build.
 */
export async function syntheticCt(shapeDhw: readonly number[] = SYNTHETIC_SHAPE_DHW): Promise<string> {
  const dir = path.join(os.tmpdir(), 'aiaa-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `synthetic-ct-${shapeDhw.join('x')}.nii.gz`);
  if (!existsSync(file)) {
    await writeNifti(file, syntheticImage(shapeDhw), { compress: true });
  }
  return file;
}

/** The synthetic CT in memory (see {@link syntheticCt}). */
export function syntheticImage(shapeDhw: readonly number[]): MedicalImage<Int16Array> {
  const [depth = 1, height = 1, width = 1] = shapeDhw;
  const voxels = new Int16Array(depth * height * width);
  let seed = 12345;
  const cx = width / 2;
  const cy = height / 2;
  for (let z = 0; z < depth; z++) {
    for (let y = 0; y < height; y++) {
      const row = (z * height + y) * width;
      const dy = (y - cy) / (height * 0.42);
      for (let x = 0; x < width; x++) {
        const dx = (x - cx) / (width * 0.45);
        const r2 = dx * dx + dy * dy;
        // xorshift noise: cheap, deterministic, CT-like texture for a realistic gzip ratio
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        const noise = (seed & 63) - 32;
        let hu = -1000 + (noise >> 2);
        if (r2 < 1) {
          hu = r2 > 0.85 ? 700 + noise : 40 + noise;
          const ox = (x - width * 0.65) / (width * 0.08);
          const oy = (y - height * 0.45) / (height * 0.1);
          const oz = (z - depth * 0.5) / (depth * 0.15);
          if (ox * ox + oy * oy + oz * oz < 1) {
            hu = 110 + noise;
          }
        }
        voxels[row + x] = hu;
      }
    }
  }
  return new MedicalImage({
    voxels,
    shape: [depth, height, width],
    shapeFormat: 'DHW',
    affine: scalingAffine([0.8, 0.8, 1.5]),
    source: 'synthetic-ct',
  });
}
