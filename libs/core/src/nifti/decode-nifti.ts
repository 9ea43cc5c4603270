import { type ZlibOptions, constants, gunzipSync } from 'node:zlib';
import { CancelledError, InvalidNiftiError, TooLargeError, describeError } from '../errors';
import type { MedicalImage } from '../image/medical-image';
import { DEFAULT_MAX_NIFTI_BYTES, NiftiDecoder, type ReadNiftiOptions, promisedNiftiBytes } from './nifti-decoder';
import { readNiftiHeader, sniffNiftiHeader } from './read-nifti-header';

/** Compressed bytes inflated first to read the header: at most ~4 MB out, whatever the stream. */
const HEADER_PREFIX_BYTES = 4096;
/** zlib's default 16 KiB chunks nearly double the CPU time on large volumes. */
const CHUNK_BYTES = 1024 * 1024;

/** True when `bytes` start with the gzip magic (1f 8b): files are recognised by content, never by name. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes a NIfTI-1 or NIfTI-2 file held in memory (plain `.nii` bytes or gzip, recognised by its magic bytes).
 * Voxels keep file order: [D, H, W] (`DHW`), or [C, D, H, W] (`CDHW`) when `dim[4..] > 1` (dim[4..7] multiplied);
 * the affine (voxel i, j, k → RAS+ mm) is chosen as nibabel chooses it (see {@link affineFromHeader}); the header is
 * kept on the image. Datatype: the file's own, float32 when scaled (see {@link ReadNiftiOptions.dtype}). For files on
 * disk prefer {@link readNifti}, which streams into a single voxel array.
 *
 * @throws InvalidNiftiError naming the field at fault (`sizeof_hdr`, `magic`, `dim[n]`, `datatype`, `vox_offset`,
 * `voxels`, `gzip`); TooLargeError when the voxels (or the inflated stream) exceed `maxBytes`; CancelledError when
 * `signal` is already aborted.
 */
export function decodeNifti(bytes: Uint8Array, options: ReadNiftiOptions & { source?: string } = {}): MedicalImage {
  const source = options.source ?? 'buffer';
  if (options.signal?.aborted) {
    throw new CancelledError(`${source}: decoding cancelled`);
  }
  const data = isGzip(bytes) ? inflate(bytes, source, options) : bytes;
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

/**
 * Inflates a gzip NIfTI no further than its header promises: the header is read from a short prefix of the stream
 * first, so a gzip bomb stops at `vox_offset` + voxel bytes (or at the size limit), never at the end of the stream.
 */
function inflate(bytes: Uint8Array, source: string, options: ReadNiftiOptions): Uint8Array {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_NIFTI_BYTES;
  let limit = maxBytes + HEADER_PREFIX_BYTES;
  let promise = '';
  let head: Uint8Array;
  try {
    // A cut stream inflates with Z_SYNC_FLUSH as far as it goes; deflate expands at most 1032:1.
    head = gunzip(bytes.subarray(0, HEADER_PREFIX_BYTES), source, {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: HEADER_PREFIX_BYTES * 1032,
    });
  } catch (error) {
    throw error instanceof RangeError ? new TooLargeError(`${source}: gzip: ${error.message}`) : error;
  }
  if (head.length >= sniffNiftiHeader(head, source).headerBytes) {
    const header = readNiftiHeader(head, source);
    limit = promisedNiftiBytes(header, source, options);
    const rank = header.dims[0] as number;
    promise = ` that vox_offset and dim[1..${rank}] = ${header.dims.slice(1, rank + 1).join('×')} promise`;
  }
  try {
    return gunzip(bytes, source, { maxOutputLength: limit, chunkSize: CHUNK_BYTES });
  } catch (error) {
    if (!(error instanceof RangeError)) {
      throw error;
    }
    throw promise
      ? new InvalidNiftiError(source, 'dim', `the data run past the ${limit} bytes${promise}`, 'too-large')
      : new TooLargeError(`${source}: gzip: the stream inflates past the ${limit}-byte limit`);
  }
}

/** gunzipSync with zlib's errors named as the file's; a RangeError means the output passed `maxOutputLength`. */
function gunzip(bytes: Uint8Array, source: string, options: ZlibOptions): Buffer {
  try {
    return gunzipSync(bytes, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RangeError(describeError(error));
    }
    throw new InvalidNiftiError(source, 'gzip', `cannot inflate: ${describeError(error)}`);
  }
}
