import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { mat4FromRows, mat4ToRows } from '../image/affine';
import { MedicalImage } from '../image/medical-image';
import { decodeNifti } from './decode-nifti';
import { encodeNifti } from './encode-nifti';
import { readNifti } from './read-nifti';

// Files the shared data set lacks, built here from hand-chosen fields: scaling, big-endian NIfTI-2, qform only,
// no transform at all, extensions, 2-D and 5-D.

const FIXTURES = join(__dirname, '../../test/fixtures');

/** A 5×4×3 int16 NIfTI-1 file with voxel n = n, as a Buffer to patch. */
function small(voxels: Int16Array | Float64Array = Int16Array.from({ length: 60 }, (_, i) => i)): Buffer {
  return Buffer.from(encodeNifti(new MedicalImage({ voxels, shape: [3, 4, 5], shapeFormat: 'DHW' })));
}

function rows(image: MedicalImage): number[][] {
  return mat4ToRows(image.affine).map((row) => row.map((v) => +v.toFixed(5)));
}

describe('scl_slope and scl_inter', () => {
  it('scale int16 to float32 as v · slope + inter', () => {
    const bytes = small();
    bytes.writeFloatLE(2, 112);
    bytes.writeFloatLE(-10, 116);
    const image = decodeNifti(bytes);
    expect(image.dtype).toBe('float32');
    expect(Array.from(image.voxels.subarray(0, 4))).toEqual([-10, -8, -6, -4]);
    expect(image.voxels[59]).toBe(108);
  });

  it.each([
    [0, 5],
    [1, 0],
    [NaN, 3],
  ])('leave the datatype alone for slope %f, inter %f', (slope, inter) => {
    const bytes = small();
    bytes.writeFloatLE(slope, 112);
    bytes.writeFloatLE(inter, 116);
    const image = decodeNifti(bytes);
    expect(image.dtype).toBe('int16');
    expect(image.voxels[7]).toBe(7);
  });

  it('apply an intercept alone', () => {
    const bytes = small();
    bytes.writeFloatLE(1, 112);
    bytes.writeFloatLE(0.5, 116);
    expect(Array.from(decodeNifti(bytes).voxels.subarray(0, 2))).toEqual([0.5, 1.5]);
  });

  it('keep float64 files in float64', () => {
    const bytes = small(Float64Array.from({ length: 60 }, (_, i) => i / 3));
    bytes.writeFloatLE(3, 112);
    const image = decodeNifti(bytes);
    expect(image.dtype).toBe('float64');
    expect(image.voxels[5]).toBeCloseTo(5, 12);
  });
});

describe('a big-endian NIfTI-2 file', () => {
  // Every numeric field of the NIfTI-2 header as [offset, width, count], to swap it byte by byte.
  const FIELDS: [number, number, number][] = [
    [0, 4, 1],
    [12, 2, 2],
    [16, 8, 8],
    [80, 8, 3],
    [104, 8, 8],
    [168, 8, 1],
    [176, 8, 6],
    [224, 8, 2],
    [344, 4, 2],
    [352, 8, 6],
    [400, 8, 12],
    [496, 4, 3],
  ];
  function swap(bytes: Buffer, at: number, width: number, count: number): void {
    for (let n = 0; n < count; n++) {
      bytes.subarray(at + n * width, at + (n + 1) * width).reverse();
    }
  }

  it('reads to the same voxels and affine as the little-endian original', async () => {
    const little = Buffer.from(gunzipSync(readFileSync(join(FIXTURES, 'nibabel_example_nifti2.nii.gz'))));
    const big = Buffer.from(little);
    for (const [at, width, count] of FIELDS) {
      swap(big, at, width, count);
    }
    const voxOffset = Number(little.readBigInt64LE(168));
    swap(big, voxOffset, 2, (big.length - voxOffset) / 2);
    const expected = decodeNifti(little);
    const dir = await mkdtemp(join(tmpdir(), 'nifti-be-'));
    try {
      await writeFile(join(dir, 'be2.nii.gz'), gzipSync(big));
      const image = await readNifti(join(dir, 'be2.nii.gz'));
      expect(image.header!.littleEndian).toBe(false);
      expect(image.header!.version).toBe(2);
      expect(image.shape).toEqual([2, 12, 20, 32]);
      expect(Array.from(image.affine)).toEqual(Array.from(expected.affine));
      expect(Buffer.compare(Buffer.from(image.voxels.buffer), Buffer.from(expected.voxels.buffer))).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the affine when sform_code is 0', () => {
  it('comes from the qform (oblique, flipped k)', () => {
    // Rotation by 90° about z (quaternion b, c, d = 0, 0, √½), qfac -1, voxels 2×3×4 mm, offset (10, 20, 30).
    const bytes = small();
    bytes.writeInt16LE(0, 254);
    bytes.writeInt16LE(1, 252);
    [0, 0, Math.SQRT1_2, 10, 20, 30].forEach((v, i) => bytes.writeFloatLE(v, 256 + 4 * i));
    [-1, 2, 3, 4].forEach((v, i) => bytes.writeFloatLE(v, 76 + 4 * i));
    expect(rows(decodeNifti(bytes))).toEqual([
      [0, -3, 0, 10],
      [2, 0, 0, 20],
      [0, 0, -4, 30],
      [0, 0, 0, 1],
    ]);
  });

  it('is nibabel’s centred, i-flipped fallback when qform_code is 0 too', () => {
    const bytes = small();
    bytes.writeInt16LE(0, 252);
    bytes.writeInt16LE(0, 254);
    [1, 2, 3, 4].forEach((v, i) => bytes.writeFloatLE(v, 76 + 4 * i));
    // shape (5, 4, 3): centre (2, 1.5, 1); zooms (-2, 3, 4).
    expect(rows(decodeNifti(bytes))).toEqual([
      [-2, 0, 0, 4],
      [0, 3, 0, -4.5],
      [0, 0, 4, -4],
      [0, 0, 0, 1],
    ]);
  });
});

describe('layouts and extensions', () => {
  it('skips a 16-byte extension and keeps its bytes', () => {
    const plain = small();
    const extension = Buffer.alloc(16);
    extension.writeInt32LE(16, 0); // esize
    extension.writeInt32LE(6, 4); // ecode: comment
    extension.write('hello', 8, 'latin1');
    const bytes = Buffer.concat([plain.subarray(0, 348), Buffer.from([1, 0, 0, 0]), extension, plain.subarray(352)]);
    bytes.writeFloatLE(368, 108);
    const image = decodeNifti(bytes);
    expect(image.voxels[59]).toBe(59);
    expect(Buffer.from(image.header!.extensions).subarray(8, 13).toString('latin1')).toBe('hello');
  });

  it('reads past a 100 KB extension from a plain file and from gzip', async () => {
    const plain = small();
    const extension = Buffer.alloc(100_000, 0x41);
    extension.writeInt32LE(100_000, 0);
    extension.writeInt32LE(6, 4);
    const bytes = Buffer.concat([plain.subarray(0, 348), Buffer.from([1, 0, 0, 0]), extension, plain.subarray(352)]);
    bytes.writeFloatLE(352 + 100_000, 108);
    const dir = await mkdtemp(join(tmpdir(), 'nifti-ext-'));
    try {
      for (const [name, data] of [
        ['ext.nii', bytes],
        ['ext.nii.gz', gzipSync(bytes)],
      ] as const) {
        await writeFile(join(dir, name), data);
        const image = await readNifti(join(dir, name));
        expect(Array.from(image.voxels.subarray(57))).toEqual([57, 58, 59]);
        expect(image.header!.extensions.length).toBe(100_000);
        expect(image.header!.extensions[99_999]).toBe(0x41);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a 2-D image as DHW with D = 1', () => {
    const bytes = small();
    bytes.writeInt16LE(2, 40);
    bytes.writeInt16LE(12, 44); // dim[2] = 12 rows of 5, dim[3] ignored beyond the rank
    expect(decodeNifti(bytes).shape).toEqual([1, 12, 5]);
  });

  it('folds dim[4..7] into channels: 5-D 5×4×1×1×3 reads as CDHW [3, 1, 4, 5]', () => {
    const bytes = small();
    [5, 5, 4, 1, 1, 3].forEach((v, i) => bytes.writeInt16LE(v, 40 + 2 * i));
    const image = decodeNifti(bytes);
    expect(image.shapeFormat).toBe('CDHW');
    expect(image.shape).toEqual([3, 1, 4, 5]);
    expect(image.voxels[20]).toBe(20);
  });

  it('keeps mm along each axis from a float32 affine written and read back', () => {
    const affine = mat4FromRows([
      [0, 0, 1.5, -10],
      [-0.7, 0, 0, 5],
      [0, 2.5, 0, 0],
      [0, 0, 0, 1],
    ]);
    const image = new MedicalImage({ voxels: new Uint8Array(60), shape: [3, 4, 5], shapeFormat: 'DHW', affine });
    const back = decodeNifti(encodeNifti(image));
    expect(back.spacingMm.map((s) => +s.toFixed(5))).toEqual([0.7, 2.5, 1.5]);
    expect(back.header!.pixDims.slice(1, 4).map((s) => +s.toFixed(5))).toEqual([0.7, 2.5, 1.5]);
  });
});

describe('cancellation', () => {
  it.each(['spleen_8_ct.nii.gz', 'nibabel_anatomical.nii'])(
    'stops reading %s when the signal aborts after the call',
    async (name) => {
      const controller = new AbortController();
      const reading = readNifti(join(FIXTURES, name), { signal: controller.signal });
      controller.abort();
      await expect(reading).rejects.toMatchObject({ name: 'CancelledError', kind: 'cancelled' });
    },
  );
});
