// The bad-request corpus: hand-built bodies for the AIAA inference endpoints, each with the status the contract and
// the error table fix (400 invalid input, 404 unknown model, 413 too large, 440 unknown session) and a fragment of the
// message that names the field at fault.
import { deflateRawSync, gzipSync } from 'node:zlib';
import type { FilePart } from './inference-helpers';
import { CT_FILE, DIMS } from './hardening-support';

export interface BadRequest {
  readonly name: string;
  /** Path and query, e.g. `/v1/segmentation?model=spleen`. */
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly files: FilePart[];
  readonly status: number;
  /** Fragments the error message must contain (the field, the file or the value at fault). */
  readonly message: readonly (string | RegExp)[];
}

const ct = (content: Buffer = CT_FILE, field = 'datapoint', filename = 'ct.nii'): FilePart => ({
  field,
  filename,
  content,
});

/** A NIfTI-2 header (540 bytes + 4 extension bytes) asking for `dims` int16 voxels and holding none of them. */
export function nifti2Header(dims: [number, number, number]): Buffer {
  const header = Buffer.alloc(544);
  header.writeInt32LE(540, 0);
  header.write('n+2\0\r\n\x1a\n', 4, 'latin1');
  header.writeInt16LE(4, 12); // int16
  header.writeInt16LE(16, 14);
  [3, ...dims, 1, 1, 1, 1].forEach((d, i) => header.writeBigInt64LE(BigInt(d), 16 + 8 * i));
  [1, 1, 1, 1, 0, 0, 0, 0].forEach((p, i) => header.writeDoubleLE(p, 104 + 8 * i));
  header.writeBigInt64LE(544n, 168);
  header.writeDoubleLE(1, 176); // scl_slope
  header.writeInt32LE(1, 348); // sform_code
  header.writeDoubleLE(1, 400);
  header.writeDoubleLE(1, 432 + 8);
  header.writeDoubleLE(1, 464 + 16);
  header.writeInt32LE(2 | 8, 500);
  return header;
}

/** {@link CT_FILE} with dim[1..3] replaced (NIfTI-1 dims are int16: at most 32767). */
function withDims(dims: [number, number, number]): Buffer {
  const file = Buffer.from(CT_FILE);
  dims.forEach((d, i) => file.writeInt16LE(d, 42 + 2 * i));
  return file;
}

/**
 * A gzip bomb: {@link CT_FILE} gzipped, followed by `members` gzip members of 16 MiB of zeros each (about 16 KiB
 * apiece), so the file inflates to `members` × 16 MiB past the voxels the header asks for.
 */
export function gzipBomb(members: number): Buffer {
  const zeros = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
  return Buffer.concat([gzipSync(CT_FILE), ...new Array<Buffer>(members).fill(zeros)]);
}

/**
 * A one-member gzip whose deflate stream inflates to `bytes` of zeros behind a NIfTI-1 header asking for 8×8×8
 * voxels: a bomb whose excess sits inside the same member.
 */
export function gzipBombSingleMember(bytes: number): Buffer {
  const header = Buffer.from(CT_FILE.subarray(0, 352));
  [8, 8, 8].forEach((d, i) => header.writeInt16LE(d, 42 + 2 * i));
  const body = deflateRawSync(Buffer.concat([header, Buffer.alloc(bytes)]), { level: 9 });
  const head = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  // CRC and size are not checked before the stream ends: the server must stop long before.
  return Buffer.concat([head, body, Buffer.alloc(8)]);
}

/** {@link CT_FILE} with its sform rows (srow_x, srow_y, srow_z: 12 floats at byte 280) replaced. */
function withSform(rows: readonly number[]): Buffer {
  const file = Buffer.from(CT_FILE);
  rows.forEach((v, i) => file.writeFloatLE(v, 280 + 4 * i));
  return file;
}

/** {@link CT_FILE} gzipped with `bytes` of (zero) NIfTI extensions between its header and its voxels. */
function withExtensions(bytes: number): Buffer {
  const header = Buffer.from(CT_FILE.subarray(0, 352));
  header.writeUInt8(1, 348); // the extender: extensions follow
  header.writeFloatLE(352 + bytes, 108); // vox_offset
  return gzipSync(Buffer.concat([header, Buffer.alloc(bytes), CT_FILE.subarray(352)]), { level: 9 });
}

/** `{"a": [[[…[1]…]]]}`: params nested `depth` arrays deep. */
function nested(depth: number): string {
  return `{"a":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
}

const inside = (n: number): number[][] =>
  Array.from({ length: n }, (_, i) => [i % DIMS[0], (i >> 3) % DIMS[1], (i >> 6) % DIMS[2]]);

export function badRequests(models: { segmentation: string; deepgrow: string; dextr3d: string }): BadRequest[] {
  const seg = `/v1/segmentation?model=${models.segmentation}`;
  const grow = `/v1/deepgrow?model=${models.deepgrow}`;
  const dextr = `/v1/dextr3d?model=${models.dextr3d}`;
  return [
    {
      name: 'params that is not JSON',
      url: seg,
      fields: { params: '{"a":' },
      files: [ct()],
      status: 400,
      message: ["'params'", 'JSON'],
    },
    {
      name: 'params that is a JSON array',
      url: seg,
      fields: { params: '[1]' },
      files: [ct()],
      status: 400,
      message: ["'params'", 'array'],
    },
    {
      name: 'params nested 100 000 levels deep',
      url: seg,
      fields: { params: nested(100_000) },
      files: [ct()],
      status: 400,
      message: ["'params'", 'nested more than 32 levels'],
    },
    {
      name: 'a singular affine (srow_z all zero)',
      url: seg,
      fields: { params: '{}' },
      files: [ct(withSform([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]))],
      status: 400,
      message: ['ct.nii: srow_x/y/z', 'singular'],
    },
    {
      name: 'an affine holding NaN',
      url: dextr,
      fields: { params: JSON.stringify({ points: inside(6) }) },
      files: [ct(withSform([1, 0, 0, 0, 0, NaN, 0, 0, 0, 0, 1, 0]))],
      status: 400,
      message: ['ct.nii: srow_x/y/z', 'NaN at row 1, column 1'],
    },
    {
      name: 'a gzipped NIfTI carrying 64 MiB of extensions (65 kB sent)',
      url: seg,
      fields: { params: '{}' },
      files: [ct(withExtensions(64 * 1024 * 1024), 'datapoint', 'ext.nii.gz')],
      status: 413,
      message: ['ext.nii.gz: vox_offset = ', 'limit of NIfTI extensions'],
    },
    {
      name: 'a foreground click outside the image',
      url: grow,
      fields: { params: JSON.stringify({ foreground: [[100, 0, 0]] }) },
      files: [ct()],
      status: 400,
      message: ['params.foreground', '100'],
    },
    {
      name: 'a negative background click',
      url: grow,
      fields: { params: JSON.stringify({ foreground: [[1, 1, 1]], background: [[0, -1, 0]] }) },
      files: [ct()],
      status: 400,
      message: ['params.background'],
    },
    {
      name: 'extreme points outside the image',
      url: dextr,
      fields: { params: JSON.stringify({ points: [...inside(5), [0, 0, 99]] }) },
      files: [ct()],
      status: 400,
      message: ['params.points', '99'],
    },
    {
      name: 'zero clicks',
      url: grow,
      fields: { params: '{}' },
      files: [ct()],
      status: 400,
      message: ['params.foreground'],
    },
    {
      name: 'five extreme points (six needed)',
      url: dextr,
      fields: { params: JSON.stringify({ points: inside(5) }) },
      files: [ct()],
      status: 400,
      message: ['params.points', '6'],
    },
    {
      name: 'clicks that are not [x, y, z] triples',
      url: grow,
      fields: { params: JSON.stringify({ foreground: [[1, 2]] }) },
      files: [ct()],
      status: 400,
      message: ['params.foreground'],
    },
    {
      name: 'an unknown model',
      url: '/v1/segmentation?model=no_such_model',
      fields: { params: '{}' },
      files: [ct()],
      status: 404,
      message: ['no_such_model'],
    },
    {
      name: 'an unknown session',
      url: `${seg}&session_id=0123456789abcdef0123456789abcdef`,
      fields: { params: '{}' },
      files: [],
      status: 440,
      message: ['0123456789abcdef0123456789abcdef'],
    },
    {
      name: "a file part named 'file'",
      url: seg,
      fields: { params: '{}' },
      files: [ct(CT_FILE, 'file')],
      status: 400,
      message: ["'file'"],
    },
    {
      name: "a text field named 'parameters'",
      url: seg,
      fields: { parameters: '{}' },
      files: [ct()],
      status: 400,
      message: ["'parameters'"],
    },
    { name: 'no file part', url: seg, fields: { params: '{}' }, files: [], status: 400, message: ["'datapoint'"] },
    {
      name: 'two file parts',
      url: seg,
      fields: { params: '{}' },
      files: [ct(), ct(CT_FILE, 'image')],
      status: 400,
      message: ["'image'", "'datapoint'"],
    },
    {
      name: 'an empty file',
      url: seg,
      fields: { params: '{}' },
      files: [ct(Buffer.alloc(0))],
      status: 400,
      message: ['sizeof_hdr', 'empty'],
    },
    {
      name: 'a NIfTI cut inside its header',
      url: seg,
      fields: { params: '{}' },
      files: [ct(CT_FILE.subarray(0, 200))],
      status: 400,
      message: ['header', 'truncated'],
    },
    {
      name: 'a NIfTI cut inside its voxels',
      url: seg,
      fields: { params: '{}' },
      files: [ct(CT_FILE.subarray(0, 400))],
      status: 400,
      message: ['voxels', 'truncated', '240 bytes'],
    },
    {
      name: 'a wrong magic',
      url: seg,
      fields: { params: '{}' },
      files: [ct(Buffer.concat([CT_FILE.subarray(0, 344), Buffer.from('xyz\0'), CT_FILE.subarray(348)]))],
      status: 400,
      message: ['magic', 'xyz'],
    },
    {
      name: 'not gzip but named .nii.gz',
      url: seg,
      fields: { params: '{}' },
      files: [ct(Buffer.from('this is plain text, not gzip\n'.repeat(40)), 'datapoint', 'ct.nii.gz')],
      status: 400,
      message: ['sizeof_hdr'],
    },
    {
      name: 'a gzip cut in the middle of its stream',
      url: seg,
      fields: { params: '{}' },
      files: [ct(gzipSync(CT_FILE).subarray(0, 60), 'datapoint', 'ct.nii.gz')],
      status: 400,
      message: ['gzip'],
    },
    {
      name: 'a NIfTI-1 header asking for 32767³ voxels',
      url: seg,
      fields: { params: '{}' },
      files: [ct(withDims([32767, 32767, 32767]))],
      status: 413,
      message: ['dim[1..3]', '32767×32767×32767', 'limit'],
    },
    {
      name: 'a NIfTI-2 header asking for 100000³ voxels',
      url: seg,
      fields: { params: '{}' },
      files: [ct(nifti2Header([100000, 100000, 100000]), 'datapoint', 'huge.nii')],
      status: 413,
      message: ['dim[1..3]', '100000×100000×100000', 'limit'],
    },
    {
      name: 'a NIfTI-2 header with a negative dim',
      url: seg,
      fields: { params: '{}' },
      files: [ct(nifti2Header([4, -4, 4]), 'datapoint', 'negative.nii')],
      status: 400,
      message: ['dim[2]', '-4'],
    },
    {
      name: '10 000 foreground clicks',
      url: grow,
      fields: { params: JSON.stringify({ foreground: inside(10_000) }) },
      files: [ct()],
      status: 400,
      message: ['params.foreground', '10000', 'limit'],
    },
    {
      name: 'a gzip bomb: 4 GiB of zeros in 256 members after the voxels',
      url: seg,
      fields: { params: '{}' },
      files: [ct(gzipBomb(256), 'datapoint', 'bomb.nii.gz')],
      status: 413,
      message: ['dim', 'run past', '4×5×6'],
    },
    {
      name: 'a gzip bomb: 64 MiB of zeros in the member of an 8×8×8 volume',
      url: seg,
      fields: { params: '{}' },
      files: [ct(gzipBombSingleMember(64 * 1024 * 1024), 'datapoint', 'bomb.nii.gz')],
      status: 413,
      message: ['dim', 'run past', '8×8×8'],
    },
  ];
}
