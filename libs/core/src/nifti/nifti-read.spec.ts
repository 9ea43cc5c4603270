import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mat4ToRows } from '../image/affine';
import type { MedicalImage } from '../image/medical-image';
import { decodeNifti } from './decode-nifti';
import { readNifti } from './read-nifti';
import { qformAffine } from './nifti-affine';

/** What nibabel reports for each fixture (fixtures/expected.json, copied from the shared data set). */
interface NibabelFacts {
  nifti_version: 1 | 2;
  dim: number[];
  shape: number[];
  datatype_code: number;
  dtype: string;
  byteorder_big_endian: boolean;
  pixdim: number[];
  zooms: number[];
  sform_code: number;
  qform_code: number;
  affine: number[][];
  raw_sha256: string;
  scaled_min: number;
  scaled_max: number;
  scaled_mean: number;
  scaled_sum: number;
}

const FIXTURES = join(__dirname, '../../test/fixtures');
const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, NibabelFacts>;
// The scaled fixture: nibabel reports scl_slope/inter as null there, yet scales (slope 0.0754, inter 3100.76).
const SCALED = new Set(['nibabel_functional.nii']);

function stats(image: MedicalImage): { min: number; max: number; sum: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  const v = image.voxels;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    sum += x;
    if (x < min) {
      min = x;
    }
    if (x > max) {
      max = x;
    }
  }
  return { min, max, sum };
}

function sha256(image: MedicalImage): string {
  // Typed arrays are little-endian on every platform Node supports, as nibabel's hash is.
  const v = image.voxels;
  return createHash('sha256')
    .update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
    .digest('hex');
}

function expectMatchesNibabel(image: MedicalImage, facts: NibabelFacts): void {
  const rank = facts.dim[0] as number;
  const [nx, ny, nz = 1, nt = 1] = facts.shape;
  if (rank === 4 && nt > 1) {
    expect(image.shapeFormat).toBe('CDHW');
    expect(image.shape).toEqual([nt, nz, ny, nx]);
  } else {
    expect(image.shapeFormat).toBe('DHW');
    expect(image.shape).toEqual([nz, ny, nx]);
  }
  const header = image.header!;
  expect(header.version).toBe(facts.nifti_version);
  expect(header.littleEndian).toBe(!facts.byteorder_big_endian);
  expect(header.dims).toEqual(facts.dim);
  expect(header.datatypeCode).toBe(facts.datatype_code);
  expect(header.sformCode).toBe(facts.sform_code);
  expect(header.qformCode).toBe(facts.qform_code);
  header.pixDims.forEach((p, i) => expect(p).toBeCloseTo(facts.pixdim[i] as number, 6));
  image.spacingMm.forEach((s, i) => expect(s).toBeCloseTo(facts.zooms[i] as number, 5));
  mat4ToRows(image.affine).forEach((row, r) =>
    row.forEach((value, c) => expect(value).toBeCloseTo(facts.affine[r]![c]!, 9)),
  );
  const { min, max, sum } = stats(image);
  const count = image.voxels.length;
  if (SCALED.has(image.source.split('/').pop()!)) {
    expect(image.dtype).toBe('float32');
    expect(min).toBeCloseTo(facts.scaled_min, 3);
    expect(max).toBeCloseTo(facts.scaled_max, 3);
    // float32 voxels versus nibabel's float64: equal to 1e-6 relative.
    expect(Math.abs(sum - facts.scaled_sum) / Math.abs(facts.scaled_sum)).toBeLessThan(1e-6);
  } else {
    expect(image.dtype).toBe(facts.dtype);
    expect(sha256(image)).toBe(facts.raw_sha256);
    expect(min).toBe(facts.scaled_min);
    expect(max).toBe(facts.scaled_max);
    expect(sum).toBe(facts.scaled_sum);
    expect(sum / count).toBeCloseTo(facts.scaled_mean, 9);
  }
}

describe('readNifti on real files, checked against nibabel', () => {
  it.each(Object.keys(EXPECTED))('reads %s to exactly nibabel’s values', async (name) => {
    const image = await readNifti(join(FIXTURES, name));
    expect(image.source).toBe(join(FIXTURES, name));
    expectMatchesNibabel(image, EXPECTED[name]!);
  });
});

describe('the qform of the real files', () => {
  // In these files the qform and the sform describe the same grid, so nibabel's affine checks the quaternion maths
  // (example4d's is oblique).
  const withQform = Object.keys(EXPECTED).filter((name) => EXPECTED[name]!.qform_code > 0);
  it.each(withQform)('of %s places voxels where nibabel’s affine does', async (name) => {
    const image = await readNifti(join(FIXTURES, name));
    mat4ToRows(qformAffine(image.header!)).forEach((row, r) =>
      row.forEach((value, c) => expect(Math.abs(value - EXPECTED[name]!.affine[r]![c]!)).toBeLessThan(1e-5)),
    );
  });
});

describe('decodeNifti on real files, checked against nibabel', () => {
  it.each(Object.keys(EXPECTED))('decodes %s to exactly nibabel’s values', (name) => {
    const image = decodeNifti(readFileSync(join(FIXTURES, name)), { source: name });
    expectMatchesNibabel(image, EXPECTED[name]!);
  });
});

describe('readNifti options', () => {
  it('converts to float32 when asked, keeping the values', async () => {
    const image = await readNifti(join(FIXTURES, 'nibabel_anatomical.nii'), { dtype: 'float32' });
    expect(image.dtype).toBe('float32');
    expect(stats(image).sum).toBe(EXPECTED['nibabel_anatomical.nii']!.scaled_sum);
  });

  it('reads the spleen label from the vox_offset 352 its header stores', async () => {
    const image = await readNifti(join(FIXTURES, 'spleen_8_label.nii.gz'));
    expect(image.header!.voxOffset).toBe(352);
  });

  it('rejects with CancelledError when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readNifti(join(FIXTURES, 'spleen_8_ct.nii.gz'), { signal: controller.signal })).rejects.toMatchObject({
      name: 'CancelledError',
    });
  });
});
