// A big-endian NIfTI-2 file built from a little-endian one, field by field: no shared data set holds one.

/** Every numeric field of the NIfTI-2 header as [offset, width, count] (nifti2.h), to reverse byte by byte. */
const NIFTI2_NUMERIC_FIELDS: readonly (readonly [number, number, number])[] = [
  [0, 4, 1], // sizeof_hdr
  [12, 2, 2], // datatype, bitpix
  [16, 8, 8], // dim
  [80, 8, 3], // intent_p1..3
  [104, 8, 8], // pixdim
  [168, 8, 1], // vox_offset
  [176, 8, 6], // scl_slope, scl_inter, cal_max, cal_min, slice_duration, toffset
  [224, 8, 2], // slice_start, slice_end
  [344, 4, 2], // qform_code, sform_code
  [352, 8, 6], // quatern_b..d, qoffset_x..z
  [400, 8, 12], // srow_x, srow_y, srow_z
  [496, 4, 3], // slice_code, xyzt_units, intent_code
];

function reverseEach(bytes: Buffer, at: number, width: number, count: number): void {
  for (let n = 0; n < count; n++) {
    bytes.subarray(at + n * width, at + (n + 1) * width).reverse();
  }
}

/**
 * The same image as `little` (an uncompressed little-endian NIfTI-2 file) with every header number, each extension's
 * esize and ecode, and every voxel of `bytesPerVoxel` bytes stored big-endian.
 */
export function bigEndianNifti2(little: Uint8Array, bytesPerVoxel: number): Buffer {
  const source = Buffer.from(little.buffer, little.byteOffset, little.byteLength);
  const big = Buffer.from(source);
  for (const [at, width, count] of NIFTI2_NUMERIC_FIELDS) {
    reverseEach(big, at, width, count);
  }
  const voxOffset = Number(source.readBigInt64LE(168));
  // Extensions follow the extender at 540 when its first byte is set; each starts with int32 esize and ecode, and
  // esize (a multiple of 16) leads to the next one.
  for (let at = 544; source[540] !== 0 && at + 8 <= voxOffset;) {
    const esize = source.readInt32LE(at);
    if (esize < 16) {
      break;
    }
    reverseEach(big, at, 4, 2);
    at += esize;
  }
  reverseEach(big, voxOffset, bytesPerVoxel, (big.length - voxOffset) / bytesPerVoxel);
  return big;
}
