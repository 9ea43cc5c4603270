// Reads each NIfTI file named on the command line with nifti-reader-js and prints one JSON object, keyed by path,
// of the header fields and a sha256 of the voxel bytes its readImage returns. Run as a child process by
// nifti-reader-js-agreement.spec.ts: the package is ESM-only, so the CommonJS test build cannot require it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NIFTI1, NIFTI2, decompress, isCompressed, readHeader, readImage } from 'nifti-reader-js';

/** A standalone ArrayBuffer of the file: Node's small Buffers share one pool, which the reader would see whole. */
function arrayBufferOf(path) {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

function sha256(arrayBuffer) {
  return createHash('sha256').update(new Uint8Array(arrayBuffer)).digest('hex');
}

function dump(path) {
  let data = arrayBufferOf(path);
  if (isCompressed(data)) {
    data = decompress(data);
  }
  const header = readHeader(data);
  const image = readImage(header, data);
  return {
    version: header instanceof NIFTI2 ? 2 : header instanceof NIFTI1 ? 1 : 0,
    littleEndian: header.littleEndian,
    dims: header.dims,
    datatypeCode: header.datatypeCode,
    numBitsPerVoxel: header.numBitsPerVoxel,
    pixDims: header.pixDims,
    vox_offset: header.vox_offset,
    scl_slope: header.scl_slope,
    scl_inter: header.scl_inter,
    qform_code: header.qform_code,
    sform_code: header.sform_code,
    quatern_b: header.quatern_b,
    quatern_c: header.quatern_c,
    quatern_d: header.quatern_d,
    qoffset_x: header.qoffset_x,
    qoffset_y: header.qoffset_y,
    qoffset_z: header.qoffset_z,
    description: header.description,
    affine: header.affine,
    // The reader's header object has no srow_* of its own: they survive only in `affine`, and only when it picks them.
    srowFieldNames: Object.keys(header).filter((key) => key.startsWith('srow')),
    imageBytes: image.byteLength,
    imageSha256: sha256(image),
  };
}

// JSON has no NaN or ±Infinity and writes -0 as 0 (headers do hold -0); send them as strings for the spec to revive.
function nonFinite(_key, value) {
  if (Object.is(value, -0)) {
    return '-0';
  }
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

const result = {};
for (const path of process.argv.slice(2)) {
  try {
    result[path] = dump(path);
  } catch (error) {
    result[path] = { error: String(error?.stack ?? error) };
  }
}
process.stdout.write(JSON.stringify(result, nonFinite));
