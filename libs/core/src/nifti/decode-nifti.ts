import { gunzipSync } from 'node:zlib';
import { InvalidNiftiError, TooLargeError, describeError } from '../errors';
import type { MedicalImage } from '../image/medical-image';
import { DEFAULT_MAX_NIFTI_BYTES, NiftiDecoder, type ReadNiftiOptions } from './nifti-decoder';

/** Room for a header and its extensions on top of the voxel limit when inflating a whole buffer. */
const HEADER_ROOM_BYTES = 1024 * 1024;

/** True when `bytes` start with the gzip magic (1f 8b): files are recognised by content, never by name. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes a NIfTI-1 or NIfTI-2 file held in memory (plain `.nii` bytes or gzip, recognised by its magic bytes).
 * Voxels keep file order: [D, H, W] (`DHW`), or [C, D, H, W] (`CDHW`) when dim[4..] > 1; the affine follows the
 * sform/qform precedence; the header is kept on the image. For files on disk prefer {@link readNifti}, which streams.
 *
 * @throws InvalidNiftiError naming the field at fault (`sizeof_hdr`, `magic`, `dim[n]`, `datatype`, `vox_offset`,
 * `voxels`, `gzip`); TooLargeError when the voxels (or the inflated stream) exceed `maxBytes`.
 */
export function decodeNifti(bytes: Uint8Array, options: ReadNiftiOptions & { source?: string } = {}): MedicalImage {
  const source = options.source ?? 'buffer';
  options.signal?.throwIfAborted();
  let data = bytes;
  if (isGzip(bytes)) {
    const limit = (options.maxBytes ?? DEFAULT_MAX_NIFTI_BYTES) + HEADER_ROOM_BYTES;
    try {
      // 1 MiB chunks: zlib's default 16 KiB nearly doubles the CPU time on large volumes.
      data = gunzipSync(bytes, { maxOutputLength: limit, chunkSize: 1024 * 1024 });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new TooLargeError(`${source}: gzip: the stream inflates past the ${limit}-byte limit`);
      }
      throw new InvalidNiftiError(source, 'gzip', `cannot inflate: ${describeError(error)}`);
    }
  }
  const decoder = new NiftiDecoder(source, options, isGzip(bytes) ? undefined : data.length);
  while (decoder.fileOffset < data.length) {
    const at = decoder.fileOffset;
    const wanted = decoder.headerBytesWanted;
    if (wanted > 0) {
      decoder.push(data.subarray(at, at + wanted));
    } else if (decoder.wantsVoxels) {
      const window = decoder.voxelWindow();
      const n = Math.min(window.length, data.length - at);
      window.set(data.subarray(at, at + n));
      decoder.advance(n);
    } else {
      // Bytes past the promised voxels: ignored in a plain file, as other readers do; in an inflated stream they are
      // what a gzip bomb looks like, and push rejects them.
      if (data !== bytes) {
        decoder.push(data.subarray(at));
      }
      break;
    }
  }
  return decoder.finish();
}
