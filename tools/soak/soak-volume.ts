// The soak's input: a small synthetic CT and the mask the demo model `spleen_ct_threshold` must answer on it,
// computed by hand from the model's documented rule rather than by running any of the server's code.
import { gunzipSync } from 'node:zlib';
import { MedicalImage, encodeNifti } from '@aiaa/core';

/** [x, y, z] sizes of the soak CT: small enough that one segmentation takes milliseconds. */
export const SOAK_DIMS: readonly [number, number, number] = [64, 64, 32];

/** A contrast-enhanced block (160 HU, inside the model's 130–200 HU window) in air (-1000 HU). */
const BLOCK = { x: [20, 43], y: [16, 47], z: [8, 23], hu: 160 } as const;
const AIR_HU = -1000;

const inside = (v: number, [lo, hi]: readonly [number, number]): boolean => v >= lo && v <= hi;

function buildVolume(): { ct: Buffer; expectedMask: Buffer } {
  const [nx, ny, nz] = SOAK_DIMS;
  const voxels = new Int16Array(nx * ny * nz);
  const mask = Buffer.alloc(nx * ny * nz);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const at = x + nx * (y + ny * z);
        const inBlock = inside(x, BLOCK.x) && inside(y, BLOCK.y) && inside(z, BLOCK.z);
        voxels[at] = inBlock ? BLOCK.hu : AIR_HU;
        // The model thresholds the in-plane (x, y) 3×3 mean of the CT windowed to [-100, 300] HU: 160 HU scales to
        // 0.65, air to 0. A full 3×3 of block voxels means 0.65 (130–200 HU ↔ 0.575–0.75: inside); at the block's
        // edge at most 6 of 9 are block voxels, 6 × 0.65 / 9 ≈ 0.43 (outside). So the mask is the block shrunk by
        // one voxel in x and y, and not in z.
        const core = inside(x, [BLOCK.x[0] + 1, BLOCK.x[1] - 1]) && inside(y, [BLOCK.y[0] + 1, BLOCK.y[1] - 1]);
        mask[at] = inBlock && core ? 1 : 0;
      }
    }
  }
  const image = new MedicalImage({ voxels, shape: [nz, ny, nx], shapeFormat: 'DHW', source: 'soak.nii' });
  return { ct: Buffer.from(encodeNifti(image)), expectedMask: mask };
}

const built = buildVolume();
/** The soak CT as an uncompressed NIfTI-1 file. */
export const SOAK_CT: Buffer = built.ct;
/** One uint8 per voxel (x fastest): the block shrunk by one voxel in-plane. */
export const SOAK_EXPECTED_MASK: Buffer = built.expectedMask;

/**
 * Why `file` (a NIfTI-1, gzipped or not) is not the uint8 mask `expected` of {@link SOAK_DIMS}, or undefined when
 * it is. Reads the header fields by their offsets in the standard; compares the voxel bytes at once.
 */
export function maskMismatch(file: Buffer, expected: Buffer = SOAK_EXPECTED_MASK): string | undefined {
  const bytes = file[0] === 0x1f && file[1] === 0x8b ? gunzipSync(file) : file;
  if (bytes.length < 352 || bytes.readInt32LE(0) !== 348) {
    return `not a little-endian NIfTI-1 file (${bytes.length} bytes)`;
  }
  const dims = [1, 2, 3].map((i) => bytes.readInt16LE(40 + 2 * i));
  if (dims.join('x') !== SOAK_DIMS.join('x')) {
    return `mask dims ${dims.join('x')}, expected ${SOAK_DIMS.join('x')}`;
  }
  const datatype = bytes.readInt16LE(70);
  if (datatype !== 2) {
    return `mask datatype ${datatype}, expected 2 (uint8)`;
  }
  const offset = Math.round(bytes.readFloatLE(108));
  const voxels = bytes.subarray(offset, offset + expected.length);
  if (voxels.equals(expected)) {
    return undefined;
  }
  let differing = 0;
  for (let i = 0; i < expected.length; i++) {
    differing += voxels[i] === expected[i] ? 0 : 1;
  }
  return `${differing} of ${expected.length} mask voxels differ from the hand-computed mask`;
}
