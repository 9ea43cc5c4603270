import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { mat4FromRows, mat4ToRows } from '../image/affine';
import { VOXEL_DTYPES, allocateVoxels } from '../image/dtype';
import { MedicalImage } from '../image/medical-image';
import { decodeNifti } from './decode-nifti';
import { encodeNifti } from './encode-nifti';
import { readNifti } from './read-nifti';
import { readNiftiHeader } from './read-nifti-header';
import { writeNifti } from './write-nifti';
import { qformAffine } from './nifti-affine';

const FIXTURES = join(__dirname, '../../test/fixtures');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nifti-write-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectAffineClose(actual: Float64Array, expected: Float64Array, digits = 5): void {
  mat4ToRows(actual).forEach((row, r) =>
    row.forEach((value, c) => expect(value).toBeCloseTo(mat4ToRows(expected)[r]![c]!, digits)),
  );
}

// An oblique, flipped affine (rotation about x by 30°, i flipped, 0.8×0.9×2.5 mm) to exercise the qform.
const cos = Math.cos(Math.PI / 6);
const sin = Math.sin(Math.PI / 6);
const OBLIQUE = mat4FromRows([
  [-0.8, 0, 0, 12.5],
  [0, 0.9 * cos, -2.5 * sin, -30.25],
  [0, 0.9 * sin, 2.5 * cos, 7.75],
  [0, 0, 0, 1],
]);

function ramp(dtype: (typeof VOXEL_DTYPES)[number], count: number): MedicalImage {
  const voxels = allocateVoxels(dtype, count);
  for (let i = 0; i < count; i++) {
    // Negative values where the type has them, fractions for floats: every type's own range is exercised.
    voxels[i] = dtype.startsWith('float') ? (i - 20) * 0.25 : dtype.startsWith('u') ? (i * 7) % 251 : (i % 50) - 25;
  }
  return new MedicalImage({ voxels, shape: [3, 4, 5], shapeFormat: 'DHW', affine: OBLIQUE, source: 'ramp' });
}

describe('writeNifti → readNifti round trip', () => {
  for (const dtype of VOXEL_DTYPES) {
    for (const name of [`ramp-${dtype}.nii`, `ramp-${dtype}.nii.gz`]) {
      it(`keeps ${dtype} voxels, shape and affine in ${name}`, async () => {
        const image = ramp(dtype, 60);
        await writeNifti(join(dir, name), image);
        const back = await readNifti(join(dir, name));
        expect(back.dtype).toBe(dtype);
        expect(back.shape).toEqual([3, 4, 5]);
        expect(back.shapeFormat).toBe('DHW');
        expect(Array.from(back.voxels)).toEqual(Array.from(image.voxels));
        // The sform is float32 in NIfTI-1: equal to float32 precision.
        expectAffineClose(back.affine, OBLIQUE, 5);
        // The qform written beside it describes the same grid.
        expectAffineClose(qformAffine(back.header!), OBLIQUE, 5);
        expect(back.header!.sformCode).toBe(2);
        expect(back.header!.qformCode).toBe(1);
        expect(back.header!.pixDims.slice(0, 4).map((p) => +p.toFixed(5))).toEqual([-1, 0.8, 0.9, 2.5]);
      });
    }
  }

  it('gzips by name: .nii.gz starts with 1f 8b, .nii with sizeof_hdr 348', async () => {
    const image = ramp('int16', 60);
    await writeNifti(join(dir, 'by-name.nii.gz'), image);
    await writeNifti(join(dir, 'by-name.nii'), image);
    const gz = await readFile(join(dir, 'by-name.nii.gz'));
    const plain = await readFile(join(dir, 'by-name.nii'));
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(plain.readInt32LE(0)).toBe(348);
    expect(plain.length).toBe(352 + 60 * 2);
    expect(Buffer.compare(gunzipSync(gz), plain)).toBe(0);
  });

  it('converts to the datatype asked for, rounding and clamping', async () => {
    const image = ramp('float32', 60);
    await writeNifti(join(dir, 'as-uint8.nii'), image, { dtype: 'uint8' });
    const back = await readNifti(join(dir, 'as-uint8.nii'));
    expect(back.dtype).toBe('uint8');
    // (i - 20) * 0.25 = -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75: rounded half up, below 0 clamped.
    expect(Array.from(back.voxels.subarray(18, 28))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    expect(back.voxels[0]).toBe(0); // -5 clamped
  });

  it('leaves no temporary file behind', async () => {
    const sub = await mkdtemp(join(dir, 'tmp-'));
    await writeNifti(join(sub, 'only.nii.gz'), ramp('uint8', 60));
    expect(await readdir(sub)).toEqual(['only.nii.gz']);
  });

  it('writes 4-D images as dim[4] channels and reads them back as CDHW', () => {
    const voxels = Int16Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i - 60);
    const image = new MedicalImage({ voxels, shape: [2, 3, 4, 5], shapeFormat: 'CDHW', affine: OBLIQUE });
    const bytes = encodeNifti(image);
    expect(readNiftiHeader(bytes).dims).toEqual([4, 5, 4, 3, 2, 1, 1, 1]);
    const back = decodeNifti(bytes);
    expect(back.shapeFormat).toBe('CDHW');
    expect(Array.from(back.voxels)).toEqual(Array.from(voxels));
  });
});

describe('writeNifti on real fixtures', () => {
  it.each([
    'nibabel_anatomical.nii',
    'nibabel_example4d.nii.gz',
    'nibabel_example_nifti2.nii.gz',
    'nibabel_reoriented_anat_moved.nii',
    'spleen_8_label.nii.gz',
  ])('reads %s back equal after writing it (big-endian and NIfTI-2 become little-endian NIfTI-1)', async (name) => {
    const image = await readNifti(join(FIXTURES, name));
    const out = join(dir, `copy-${name}`);
    await writeNifti(out, image);
    const back = await readNifti(out);
    expect(back.dtype).toBe(image.dtype);
    expect(back.shape).toEqual(image.shape);
    expect(Buffer.compare(Buffer.from(back.voxels.buffer), Buffer.from(image.voxels.buffer))).toBe(0);
    expectAffineClose(back.affine, image.affine, 4);
    // The qform written beside the sform places the voxels at the same points (these grids have no shear).
    expectAffineClose(qformAffine(back.header!), image.affine, 4);
    expect(back.header!.sformCode).toBe(image.header!.sformCode);
    expect(back.header!.description).toBe(image.header!.description);
    expect(back.header!.xyztUnits).toBe(image.header!.xyztUnits);
  });

  it('writes an image with no header with mm/s units and default codes', async () => {
    const image = ramp('uint8', 60).with({ header: undefined });
    await writeFile(join(dir, 'plain.nii'), encodeNifti(image));
    const header = readNiftiHeader(await readFile(join(dir, 'plain.nii')));
    expect(header.xyztUnits).toBe(10);
    expect(header.sclSlope).toBe(0);
    expect(header.voxOffset).toBe(352);
  });
});

describe('encodeNifti with shapes NIfTI cannot hold', () => {
  it('rejects channels-last images naming the shape format', () => {
    const image = new MedicalImage({ voxels: new Uint8Array(24), shape: [2, 3, 2, 2], shapeFormat: 'DHWC' });
    expect(() => encodeNifti(image)).toThrow(expect.objectContaining({ name: 'InvalidInputError' }));
    expect(() => encodeNifti(image)).toThrow(/DHWC/);
  });
});

describe('encodeNifti with dims NIfTI-1 cannot hold', () => {
  it('rejects a dim over 32767 naming it', () => {
    const image = new MedicalImage({ voxels: new Uint8Array(40000), shape: [1, 1, 40000], shapeFormat: 'DHW' });
    expect(() => encodeNifti(image)).toThrow(expect.objectContaining({ name: 'InvalidInputError' }));
    expect(() => encodeNifti(image)).toThrow(/dim\[1\] = 40000 does not fit/);
  });
});
