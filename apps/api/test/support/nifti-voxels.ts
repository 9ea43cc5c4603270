import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

/** The voxel block of a little-endian single-file NIfTI-1, read straight from the header fields of the standard. */
export interface NiftiVoxels {
  /** [x, y, z] */
  readonly dims: [number, number, number];
  readonly datatype: number;
  readonly bytesPerVoxel: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  /** The raw voxel bytes, x fastest. */
  readonly bytes: Buffer;
}

/** Reads dim[1..3], datatype, bitpix, vox_offset and scl_slope/scl_inter, and slices the voxel bytes. */
export function niftiVoxels(file: Buffer): NiftiVoxels {
  const data = file[0] === 0x1f && file[1] === 0x8b ? gunzipSync(file) : file;
  if (data.readInt32LE(0) !== 348) {
    throw new Error(`not a little-endian NIfTI-1 file (sizeof_hdr ${data.readInt32LE(0)})`);
  }
  const dims: [number, number, number] = [data.readInt16LE(42), data.readInt16LE(44), data.readInt16LE(46)];
  const bytesPerVoxel = data.readInt16LE(72) / 8;
  const offset = Math.round(data.readFloatLE(108));
  const slope = data.readFloatLE(112);
  const length = dims[0] * dims[1] * dims[2] * bytesPerVoxel;
  return {
    dims,
    datatype: data.readInt16LE(70),
    bytesPerVoxel,
    // scl_slope 0 means "no scaling" in the standard.
    sclSlope: slope === 0 ? 1 : slope,
    sclInter: slope === 0 ? 0 : data.readFloatLE(116),
    bytes: data.subarray(offset, offset + length),
  };
}

/** SHA-256 (hex) of the voxel bytes. */
export function voxelDigest(volume: NiftiVoxels): string {
  return createHash('sha256').update(volume.bytes).digest('hex');
}

/** Voxels whose bytes are not all zero. */
export function nonzeroVoxels(volume: NiftiVoxels): number {
  let count = 0;
  for (let at = 0; at < volume.bytes.length; at += volume.bytesPerVoxel) {
    for (let b = 0; b < volume.bytesPerVoxel; b++) {
      if (volume.bytes[at + b] !== 0) {
        count++;
        break;
      }
    }
  }
  return count;
}

/** The scaled value at [x, y, z] of an int16, uint8 or float32 volume. */
export function valueAt(volume: NiftiVoxels, [x, y, z]: readonly number[]): number {
  const [nx, ny] = volume.dims;
  const at = ((x ?? 0) + nx * ((y ?? 0) + ny * (z ?? 0))) * volume.bytesPerVoxel;
  const raw =
    volume.datatype === 4
      ? volume.bytes.readInt16LE(at)
      : volume.datatype === 2
        ? volume.bytes.readUInt8(at)
        : volume.datatype === 16
          ? volume.bytes.readFloatLE(at)
          : NaN;
  return raw * volume.sclSlope + volume.sclInter;
}
