// The header is parsed here rather than with nifti-reader-js: that package is ESM-only with an import-only exports
// map, so it cannot be required from this CommonJS build on Node 20; its NIfTI-1 parse also keeps srow_* only when
// it prefers the sform (it prefers the qform when qform_code > sform_code, unlike the standard and nibabel) and joins
// text across NUL bytes. A DataView over the fixed offsets of nifti1.h / nifti2.h is short and checks every field.
// nifti-reader-js-agreement.spec.ts reads every fixture with both and checks that they agree on the other fields
// and the voxel bytes, and that these differences are real.
import { InvalidNiftiError } from '../errors';
import { dtypeFromNiftiCode } from './nifti-datatype';
import type { NiftiHeader } from '../image/nifti-header';

/** Bytes of a NIfTI-1 header; the 4-byte extender follows, so voxels start at 352 at the earliest. */
export const NIFTI1_HEADER_BYTES = 348;
/** Bytes of a NIfTI-2 header; voxels start at 544 at the earliest. */
export const NIFTI2_HEADER_BYTES = 540;

const NIFTI1_MAGIC = [0x6e, 0x2b, 0x31, 0x00]; // "n+1\0"
const NIFTI1_PAIR_MAGIC = [0x6e, 0x69, 0x31, 0x00]; // "ni1\0": a .hdr/.img pair
const NIFTI2_MAGIC = [0x6e, 0x2b, 0x32, 0x00, 0x0d, 0x0a, 0x1a, 0x0a]; // "n+2\0\r\n\032\n"

/**
 * The header size (348 or 540) and byte order announced by `sizeof_hdr`, from the first 4 bytes.
 * @throws InvalidNiftiError naming `sizeof_hdr` when fewer than 4 bytes are given or the value is neither size.
 */
export function sniffNiftiHeader(bytes: Uint8Array, source: string): { headerBytes: number; littleEndian: boolean } {
  if (bytes.length < 4) {
    throw new InvalidNiftiError(
      source,
      'sizeof_hdr',
      bytes.length === 0 ? 'the file is empty' : `the file has ${bytes.length} bytes, too few for a NIfTI header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const littleEndian of [true, false]) {
    const size = view.getInt32(0, littleEndian);
    if (size === NIFTI1_HEADER_BYTES || size === NIFTI2_HEADER_BYTES) {
      return { headerBytes: size, littleEndian };
    }
  }
  throw new InvalidNiftiError(
    source,
    'sizeof_hdr',
    `expected 348 (NIfTI-1) or 540 (NIfTI-2) in either byte order, got ${view.getInt32(0, true)}`,
  );
}

/**
 * Parses and checks a NIfTI-1 or NIfTI-2 header (either byte order). `bytes` must hold at least the header; bytes up to
 * `vox_offset`, when present, are kept as the raw extensions. A `vox_offset` of 0 reads as the first byte after the
 * header and extender (352 or 544), as nibabel does.
 *
 * @throws InvalidNiftiError naming the field at fault: `sizeof_hdr`, `header` (truncated), `magic`, `dim[n]`,
 * `datatype`, `vox_offset`.
 */
export function readNiftiHeader(bytes: Uint8Array, source = 'buffer'): NiftiHeader {
  const { headerBytes, littleEndian } = sniffNiftiHeader(bytes, source);
  if (bytes.length < headerBytes) {
    throw new InvalidNiftiError(source, 'header', `truncated: ${bytes.length} of ${headerBytes} header bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const header =
    headerBytes === NIFTI1_HEADER_BYTES ? parseNifti1(view, littleEndian) : parseNifti2(view, littleEndian);
  checkMagic(bytes, header.version, source);
  checkHeader(header, source);
  const firstVoxelByte = headerBytes + 4;
  if (header.voxOffset === 0) {
    header.voxOffset = firstVoxelByte;
  }
  if (header.voxOffset < firstVoxelByte) {
    throw new InvalidNiftiError(
      source,
      'vox_offset',
      `${header.voxOffset} points inside the header; voxels start at ${firstVoxelByte} or later`,
    );
  }
  // Extensions exist only when the extender's first byte is set; keep their raw bytes for writing back.
  if (bytes.length > headerBytes && bytes[headerBytes] !== 0) {
    header.extensions = bytes.slice(firstVoxelByte, Math.min(bytes.length, header.voxOffset));
  }
  return header;
}

function checkMagic(bytes: Uint8Array, version: 1 | 2, source: string): void {
  const at = version === 1 ? 344 : 4;
  const expected = version === 1 ? NIFTI1_MAGIC : NIFTI2_MAGIC;
  const got = bytes.subarray(at, at + expected.length);
  if (expected.every((b, i) => got[i] === b)) {
    return;
  }
  const text = JSON.stringify(String.fromCharCode(...got));
  if (version === 1 && NIFTI1_PAIR_MAGIC.every((b, i) => got[i] === b)) {
    throw new InvalidNiftiError(source, 'magic', `${text} marks a .hdr/.img pair; only single-file .nii is supported`);
  }
  throw new InvalidNiftiError(source, 'magic', `expected ${version === 1 ? '"n+1"' : '"n+2"'}, got ${text}`);
}

function checkHeader(header: NiftiHeader, source: string): void {
  const rank = header.dims[0] as number;
  if (!Number.isInteger(rank) || rank < 1 || rank > 7) {
    throw new InvalidNiftiError(source, 'dim[0]', `rank must be 1..7, got ${rank}`);
  }
  for (let i = 1; i <= rank; i++) {
    const size = header.dims[i] as number;
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new InvalidNiftiError(source, `dim[${i}]`, `size must be ≥ 1, got ${size}`);
    }
  }
  dtypeFromNiftiCode(header.datatypeCode, source);
  const offset = header.voxOffset;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidNiftiError(source, 'vox_offset', `must be a whole number of bytes ≥ 0, got ${offset}`);
  }
}

function text(view: DataView, at: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const c = view.getUint8(at + i);
    if (c === 0) {
      break;
    }
    out += String.fromCharCode(c);
  }
  return out;
}

function parseNifti1(v: DataView, le: boolean): NiftiHeader {
  const f32 = (at: number): number => v.getFloat32(at, le);
  const i16 = (at: number): number => v.getInt16(at, le);
  const row = (at: number): number[] => [f32(at), f32(at + 4), f32(at + 8), f32(at + 12)];
  return {
    version: 1,
    littleEndian: le,
    dims: Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i)),
    datatypeCode: i16(70),
    bitpix: i16(72),
    pixDims: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    calMax: f32(124),
    calMin: f32(128),
    qformCode: i16(252),
    sformCode: i16(254),
    quaternB: f32(256),
    quaternC: f32(260),
    quaternD: f32(264),
    qoffsetX: f32(268),
    qoffsetY: f32(272),
    qoffsetZ: f32(276),
    srowX: row(280),
    srowY: row(296),
    srowZ: row(312),
    xyztUnits: v.getUint8(123),
    intentCode: i16(68),
    intentP1: f32(56),
    intentP2: f32(60),
    intentP3: f32(64),
    intentName: text(v, 328, 16),
    description: text(v, 148, 80),
    auxFile: text(v, 228, 24),
    dimInfo: v.getUint8(39),
    sliceCode: v.getUint8(122),
    sliceStart: i16(74),
    sliceEnd: i16(120),
    sliceDuration: f32(132),
    toffset: f32(136),
    extensions: new Uint8Array(0),
  };
}

function parseNifti2(v: DataView, le: boolean): NiftiHeader {
  const f64 = (at: number): number => v.getFloat64(at, le);
  const i32 = (at: number): number => v.getInt32(at, le);
  // int64 fields become Numbers; values past 2^53 fail the safe-integer checks in checkHeader.
  const i64 = (at: number): number => Number(v.getBigInt64(at, le));
  const row = (at: number): number[] => [f64(at), f64(at + 8), f64(at + 16), f64(at + 24)];
  return {
    version: 2,
    littleEndian: le,
    dims: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
    datatypeCode: v.getInt16(12, le),
    bitpix: v.getInt16(14, le),
    pixDims: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    calMax: f64(192),
    calMin: f64(200),
    qformCode: i32(344),
    sformCode: i32(348),
    quaternB: f64(352),
    quaternC: f64(360),
    quaternD: f64(368),
    qoffsetX: f64(376),
    qoffsetY: f64(384),
    qoffsetZ: f64(392),
    srowX: row(400),
    srowY: row(432),
    srowZ: row(464),
    xyztUnits: i32(500),
    intentCode: i32(504),
    intentP1: f64(80),
    intentP2: f64(88),
    intentP3: f64(96),
    intentName: text(v, 508, 16),
    description: text(v, 240, 80),
    auxFile: text(v, 320, 24),
    dimInfo: v.getUint8(524),
    sliceCode: i32(496),
    sliceStart: i64(224),
    sliceEnd: i64(232),
    sliceDuration: f64(208),
    toffset: f64(216),
    extensions: new Uint8Array(0),
  };
}
