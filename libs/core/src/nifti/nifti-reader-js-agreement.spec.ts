import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { mat4ToRows } from '../image/affine';
import type { VoxelArray } from '../image/dtype';
import { type NiftiHeader } from '../image/nifti-header';
import { encodeNifti } from './encode-nifti';
import { readNifti } from './read-nifti';
import { affineFromHeader, qformAffine } from './nifti-affine';
import { makeImage } from '../testing';
import { bigEndianNifti2 } from '../../test/support/big-endian-nifti2';

// nifti-reader-js, an independent reader, reads every fixture and a few generated files in a child process (the
// package is ESM-only; see support/nifti-reader-js-dump.mjs), and each field it reports is compared with ours. Where
// it reads differently, the difference itself is tested, with its reason: these are why read-nifti-header.ts parses
// headers itself.

/** What support/nifti-reader-js-dump.mjs prints for one file: the reader's own field names. */
interface ReaderJsFacts {
  error?: string;
  version: 1 | 2;
  littleEndian: boolean;
  dims: number[];
  datatypeCode: number;
  numBitsPerVoxel: number;
  pixDims: number[];
  vox_offset: number;
  scl_slope: number;
  scl_inter: number;
  qform_code: number;
  sform_code: number;
  quatern_b: number;
  quatern_c: number;
  quatern_d: number;
  qoffset_x: number;
  qoffset_y: number;
  qoffset_z: number;
  description: string;
  affine: number[][];
  srowFieldNames: string[];
  imageBytes: number;
  imageSha256: string;
}

/** What we read of the same file; the voxels are kept as hashes, to hold one large volume at a time. */
interface OurFacts {
  header: NiftiHeader;
  voxelsLittleEndianSha256: string;
  voxelsFileOrderSha256: string;
}

const FIXTURES = join(__dirname, '../../test/fixtures');
const DUMP_SCRIPT = join(__dirname, '../../test/support/nifti-reader-js-dump.mjs');
/** What nibabel reports for each fixture (fixtures/expected.json). */
const NIBABEL = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  { nifti_version: 1 | 2; qform_code: number; sform_code: number; raw_sha256: string }
>;
const SHIPPED = Object.keys(NIBABEL);
// The one scaled fixture: our voxels are float32 there, so its raw bytes are compared separately.
const SCALED = 'nibabel_functional.nii';

// Generated files, each built from the 5×4×3 int16 image with voxel n = n, or from a fixture.
const BIG_ENDIAN_NIFTI2 = 'big-endian-nifti2.nii';
const QFORM_OVER_SFORM = 'qform-code-above-sform-code.nii';
const NO_TRANSFORM = 'no-qform-no-sform.nii';
const VOX_OFFSET_ZERO = 'vox-offset-zero.nii';
const GENERATED = [BIG_ENDIAN_NIFTI2, QFORM_OVER_SFORM, NO_TRANSFORM, VOX_OFFSET_ZERO];
// FSL 3.3 wrote its description as "FSL3.3\0 v2.25 NIfTI-1 Single file format": text after the terminating NUL.
const TEXT_AFTER_NUL = ['nibabel_example4d.nii.gz', 'nibabel_example_nifti2.nii.gz', BIG_ENDIAN_NIFTI2];
const ALL = [...SHIPPED, ...GENERATED];

function smallNifti1(): Buffer {
  const voxels = Int16Array.from({ length: 60 }, (_, i) => i);
  return Buffer.from(encodeNifti(makeImage(voxels, [3, 4, 5])));
}

function buildGenerated(name: string): Buffer {
  if (name === BIG_ENDIAN_NIFTI2) {
    return bigEndianNifti2(gunzipSync(readFileSync(join(FIXTURES, 'nibabel_example_nifti2.nii.gz'))), 2);
  }
  const bytes = smallNifti1();
  switch (name) {
    case QFORM_OVER_SFORM:
      // sform: the identity written from the image (code 1, scanner); qform: 90° about z, qfac -1, 2×3×4 mm, offset
      // (10, 20, 30), code 2 (aligned). Two different grids, as after a registration that updated one of them.
      bytes.writeInt16LE(2, 252);
      bytes.writeInt16LE(1, 254);
      [0, 0, Math.SQRT1_2, 10, 20, 30].forEach((v, i) => bytes.writeFloatLE(v, 256 + 4 * i));
      [-1, 2, 3, 4].forEach((v, i) => bytes.writeFloatLE(v, 76 + 4 * i));
      return bytes;
    case NO_TRANSFORM:
      bytes.writeInt16LE(0, 252);
      bytes.writeInt16LE(0, 254);
      [1, 2, 3, 4].forEach((v, i) => bytes.writeFloatLE(v, 76 + 4 * i));
      return bytes;
    case VOX_OFFSET_ZERO:
      // Some writers put 0 here; nifti1.h makes 352 the smallest offset in a .nii file, and nibabel reads 0 as 352.
      bytes.writeFloatLE(0, 108);
      return bytes;
    default:
      throw new Error(`no builder for ${name}`);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function littleEndianBytes(v: VoxelArray): Uint8Array {
  // Typed arrays are little-endian on every platform Node supports.
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** The voxels as a big-endian file stores them. */
function bigEndianBytes(v: VoxelArray): Uint8Array {
  const swapped = Uint8Array.from(littleEndianBytes(v));
  const width = v.BYTES_PER_ELEMENT;
  for (let at = 0; at < swapped.length; at += width) {
    swapped.subarray(at, at + width).reverse();
  }
  return swapped;
}

/** JSON has no NaN or ±Infinity and loses the sign of -0: the dump sends them as strings. */
function reviveNonFinite(key: string, value: unknown): unknown {
  const nonFinite = ['NaN', 'Infinity', '-Infinity', '-0'];
  return key !== 'description' && typeof value === 'string' && nonFinite.includes(value) ? Number(value) : value;
}

async function readAllWithReaderJs(paths: string[]): Promise<Record<string, ReaderJsFacts>> {
  const { stdout } = await promisify(execFile)(process.execPath, [DUMP_SCRIPT, ...paths], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 60_000,
  });
  return JSON.parse(stdout, reviveNonFinite) as Record<string, ReaderJsFacts>;
}

async function readAllOurselves(paths: string[]): Promise<Record<string, OurFacts>> {
  const out: Record<string, OurFacts> = {};
  for (const path of paths) {
    const image = await readNifti(path);
    const header = image.header!;
    const littleEndianSha256 = sha256(littleEndianBytes(image.voxels));
    out[path] = {
      header,
      voxelsLittleEndianSha256: littleEndianSha256,
      voxelsFileOrderSha256: header.littleEndian ? littleEndianSha256 : sha256(bigEndianBytes(image.voxels)),
    };
  }
  return out;
}

let dir = '';
const pathOf: Record<string, string> = {};
let theirs: Record<string, ReaderJsFacts> = {};
let ours: Record<string, OurFacts> = {};
const theirsFor = (name: string): ReaderJsFacts => theirs[pathOf[name]!]!;
const oursFor = (name: string): OurFacts => ours[pathOf[name]!]!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nifti-reader-js-'));
  for (const name of SHIPPED) {
    pathOf[name] = join(FIXTURES, name);
  }
  for (const name of GENERATED) {
    pathOf[name] = join(dir, name);
    await writeFile(pathOf[name], buildGenerated(name));
  }
  const paths = ALL.map((name) => pathOf[name]!);
  // The child inflates and hashes while this process reads: two readers, two cores.
  [theirs, ours] = await Promise.all([readAllWithReaderJs(paths), readAllOurselves(paths)]);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('header fields both readers read alike', () => {
  it.each(ALL)('%s: version, byte order, dims, datatype, pixdim, scaling, qform and codes', (name) => {
    const them = theirsFor(name);
    const { header } = oursFor(name);
    expect(them.error).toBeUndefined();
    expect({
      version: header.version,
      littleEndian: header.littleEndian,
      dims: header.dims,
      datatypeCode: header.datatypeCode,
      numBitsPerVoxel: header.bitpix,
      pixDims: header.pixDims,
      scl_slope: header.sclSlope,
      scl_inter: header.sclInter,
      qform_code: header.qformCode,
      sform_code: header.sformCode,
      quatern_b: header.quaternB,
      quatern_c: header.quaternC,
      quatern_d: header.quaternD,
      qoffset_x: header.qoffsetX,
      qoffset_y: header.qoffsetY,
      qoffset_z: header.qoffsetZ,
    }).toEqual({
      version: them.version,
      littleEndian: them.littleEndian,
      dims: them.dims,
      datatypeCode: them.datatypeCode,
      numBitsPerVoxel: them.numBitsPerVoxel,
      pixDims: them.pixDims,
      scl_slope: them.scl_slope,
      scl_inter: them.scl_inter,
      qform_code: them.qform_code,
      sform_code: them.sform_code,
      quatern_b: them.quatern_b,
      quatern_c: them.quatern_c,
      quatern_d: them.quatern_d,
      qoffset_x: them.qoffset_x,
      qoffset_y: them.qoffset_y,
      qoffset_z: them.qoffset_z,
    });
  });

  it.each(ALL.filter((name) => !TEXT_AFTER_NUL.includes(name)))('%s: description', (name) => {
    expect(oursFor(name).header.description).toBe(theirsFor(name).description);
  });

  it.each(ALL.filter((name) => name !== VOX_OFFSET_ZERO))('%s: vox_offset', (name) => {
    expect(oursFor(name).header.voxOffset).toBe(theirsFor(name).vox_offset);
  });
});

describe('voxel bytes: readImage’s slice, our voxels, nibabel’s raw_sha256', () => {
  // nibabel hashed the unscaled voxels, little-endian; the big-endian NIfTI-2 file holds the same as its source.
  const nibabelSha256: Record<string, string> = Object.fromEntries(SHIPPED.map((n) => [n, NIBABEL[n]!.raw_sha256]));
  nibabelSha256[BIG_ENDIAN_NIFTI2] = nibabelSha256['nibabel_example_nifti2.nii.gz']!;

  it.each(ALL.filter((name) => name !== SCALED && name !== VOX_OFFSET_ZERO))(
    '%s: readImage returns our voxels’ bytes in the file’s byte order',
    (name) => {
      expect(theirsFor(name).imageSha256).toBe(oursFor(name).voxelsFileOrderSha256);
    },
  );

  it.each(Object.keys(nibabelSha256).filter((name) => name !== SCALED))('%s: our voxels are nibabel’s', (name) => {
    expect(oursFor(name).voxelsLittleEndianSha256).toBe(nibabelSha256[name]);
  });

  it(`${SCALED}: readImage’s int16 are nibabel’s, and v · scl_slope + scl_inter are our float32 voxels`, async () => {
    const them = theirsFor(SCALED);
    const file = readFileSync(pathOf[SCALED]!);
    const raw = Uint8Array.from(file.subarray(them.vox_offset, them.vox_offset + them.imageBytes));
    expect(sha256(raw)).toBe(them.imageSha256);
    expect(them.littleEndian).toBe(true);
    expect(them.imageSha256).toBe(nibabelSha256[SCALED]);
    expect([them.scl_slope, them.scl_inter]).toEqual([Math.fround(0.0754069686), Math.fround(3100.76171875)]);
    const expected = Float32Array.from(new Int16Array(raw.buffer), (v) => v * them.scl_slope + them.scl_inter);
    const image = await readNifti(pathOf[SCALED]!);
    expect(image.dtype).toBe('float32');
    expect(sha256(littleEndianBytes(image.voxels))).toBe(sha256(littleEndianBytes(expected)));
  });
});

/**
 * The affine nifti-reader-js builds (nifti1.js, nifti2.js): for NIfTI-2 always the srow_*; for NIfTI-1 the qform when
 * qform_code > sform_code, else the srow_* when sform_code > 0, else pixdim[1..3] on the diagonal.
 */
function readerJsChoice(h: NiftiHeader): number[][] {
  const srow = [h.srowX, h.srowY, h.srowZ, [0, 0, 0, 1]];
  if (h.version === 2) {
    return srow;
  }
  if (h.qformCode > 0 && h.sformCode < h.qformCode) {
    return mat4ToRows(qformAffine(h));
  }
  if (h.sformCode > 0) {
    return srow;
  }
  const [, x = 0, y = 0, z = 0] = h.pixDims;
  return [
    [x, 0, 0, 0],
    [0, y, 0, 0],
    [0, 0, z, 0],
    [0, 0, 0, 1],
  ];
}

/** Rounded to 1e-6, with -0 as 0, to compare with hand-written matrices. */
function rounded(rows: number[][]): number[][] {
  return rows.map((row) => row.map((v) => +v.toFixed(6) + 0));
}

describe('the transform nifti-reader-js picks', () => {
  it.each(ALL)('%s: its affine is the transform it documents picking, built from our fields', (name) => {
    const them = theirsFor(name);
    const expected = readerJsChoice(oursFor(name).header);
    // srow_* are copied as read, so those match exactly; a qform is computed, by two codes, from the same numbers.
    them.affine.forEach((row, r) => row.forEach((v, c) => expect(Math.abs(v - expected[r]![c]!)).toBeLessThan(1e-9)));
  });

  const ties = SHIPPED.filter((name) => {
    const facts = NIBABEL[name]!;
    return facts.nifti_version === 1 && facts.sform_code > 0 && facts.qform_code === facts.sform_code;
  });
  it.each(ties)('%s: a tie (qform_code = sform_code > 0) picks the sform, as the standard does', (name) => {
    const { header } = oursFor(name);
    expect(theirsFor(name).affine.slice(0, 3)).toEqual([header.srowX, header.srowY, header.srowZ]);
  });
});

describe('where nifti-reader-js reads differently: why read-nifti-header.ts parses headers itself', () => {
  it('uses the qform when qform_code > sform_code, with no srow_* left; the standard and nibabel use the sform', () => {
    const them = theirsFor(QFORM_OVER_SFORM);
    const { header } = oursFor(QFORM_OVER_SFORM);
    const identity = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ];
    expect([header.srowX, header.srowY, header.srowZ]).toEqual(identity.slice(0, 3));
    expect(mat4ToRows(affineFromHeader(header))).toEqual(identity);
    // Its header object has no srow_* fields, so the sform the file holds cannot be had from it at all.
    expect(them.srowFieldNames).toEqual([]);
    // The qform by hand: 90° about z maps i to +y and j to -x; qfac -1 flips k; then 2×3×4 mm and the offset.
    expect(rounded(them.affine)).toEqual([
      [0, -3, 0, 10],
      [2, 0, 0, 20],
      [0, 0, -4, 30],
      [0, 0, 0, 1],
    ]);
  });

  it('puts pixdim on the diagonal when neither code is set; nibabel centres the grid and flips i', () => {
    expect(rounded(theirsFor(NO_TRANSFORM).affine)).toEqual([
      [2, 0, 0, 0],
      [0, 3, 0, 0],
      [0, 0, 4, 0],
      [0, 0, 0, 1],
    ]);
    // Shape 5×4×3: centre (2, 1.5, 1) voxels; sizes (-2, 3, 4) mm.
    expect(rounded(mat4ToRows(affineFromHeader(oursFor(NO_TRANSFORM).header)))).toEqual([
      [-2, 0, 0, 4],
      [0, 3, 0, -4.5],
      [0, 0, 4, -4],
      [0, 0, 0, 1],
    ]);
  });

  it.each(TEXT_AFTER_NUL)(
    '%s: joins the description’s text on both sides of a NUL; the standard and nibabel end it at the first NUL',
    (name) => {
      expect(theirsFor(name).description).toBe('FSL3.3 v2.25 NIfTI-1 Single file format');
      expect(oursFor(name).header.description).toBe('FSL3.3');
    },
  );

  it('takes vox_offset 0 literally, so readImage slices from the header; nibabel and we start at byte 352', () => {
    const them = theirsFor(VOX_OFFSET_ZERO);
    const ourFacts = oursFor(VOX_OFFSET_ZERO);
    const file = readFileSync(pathOf[VOX_OFFSET_ZERO]!);
    expect(them.vox_offset).toBe(0);
    expect(ourFacts.header.voxOffset).toBe(352);
    expect(them.imageSha256).toBe(sha256(file.subarray(0, them.imageBytes)));
    expect(ourFacts.voxelsLittleEndianSha256).toBe(sha256(file.subarray(352, 352 + them.imageBytes)));
    expect(ourFacts.voxelsLittleEndianSha256).not.toBe(them.imageSha256);
  });
});
