import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { AiaaError, CancelledError, InvalidNiftiError, describeError } from '../errors';
import type { MedicalImage } from '../image/medical-image';
import { isGzip } from './decode-nifti';
import { NiftiDecoder, type ReadNiftiOptions } from './nifti-decoder';

/** Plain files: the first read, enough for a header and small extensions. */
const FIRST_READ_BYTES = 64 * 1024;
/** Plain files: voxels are read in slices of this size (fs.read takes < 2 GiB at once; the signal is checked between). */
const READ_SLICE_BYTES = 64 * 1024 * 1024;
/**
 * Gzip files: inflated chunk size. 1 MiB costs a third of the CPU of 256 KiB (and a tenth of zlib's default 16 KiB);
 * a gzip bomb is still stopped within one chunk of the promised size.
 */
const GUNZIP_CHUNK_BYTES = 1024 * 1024;

/** {@link readNifti}'s options: those of the decoder, and how errors name the file. */
export interface ReadNiftiFileOptions extends ReadNiftiOptions {
  /** The name errors give the file (default: its path), e.g. the client's file name of an upload in a temp folder. */
  source?: string;
}

/**
 * Reads a NIfTI-1 or NIfTI-2 file (`.nii`, or gzip recognised by its magic bytes, whatever the name). Plain files are
 * read straight into the voxel array; gzip files are inflated chunk by chunk into one typed array allocated from the
 * header, so the voxels are held once, and the stream is stopped as soon as it runs past what the header promises.
 * Layout, affine and datatype rules are those of {@link decodeNifti}.
 *
 * @throws InvalidNiftiError naming the field at fault (or `file` when it cannot be opened: kind `not-found` when
 * missing); TooLargeError when the voxels exceed `maxBytes`; CancelledError when `signal` aborts.
 */
export async function readNifti(path: string, options: ReadNiftiFileOptions = {}): Promise<MedicalImage> {
  try {
    options.signal?.throwIfAborted();
    const file = await open(path, 'r');
    try {
      const size = (await file.stat()).size;
      const first = new Uint8Array(Math.min(size, FIRST_READ_BYTES));
      const { bytesRead } = await file.read(first, 0, first.length, 0);
      if (isGzip(first.subarray(0, bytesRead))) {
        return await readGzip(path, options);
      }
      return await readPlain(file, path, size, first.subarray(0, bytesRead), options);
    } finally {
      await file.close().catch(() => undefined);
    }
  } catch (error) {
    throw asAiaaError(error, options.source ?? path, options.signal);
  }
}

async function readPlain(
  file: FileHandle,
  path: string,
  size: number,
  first: Uint8Array,
  options: ReadNiftiFileOptions,
): Promise<MedicalImage> {
  const decoder = new NiftiDecoder(options.source ?? path, options, size);
  let chunk = first;
  // Header and extensions: usually all within the first read.
  while (decoder.headerBytesWanted > 0 && chunk.length > 0) {
    const wanted = decoder.headerBytesWanted;
    decoder.push(chunk.subarray(0, wanted));
    chunk = chunk.subarray(wanted);
    if (chunk.length === 0 && decoder.headerBytesWanted > 0) {
      chunk = new Uint8Array(Math.min(decoder.headerBytesWanted, FIRST_READ_BYTES));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, decoder.fileOffset);
      chunk = chunk.subarray(0, bytesRead);
    }
  }
  if (decoder.wantsVoxels && chunk.length > 0) {
    const n = Math.min(chunk.length, decoder.voxelWindow().length);
    decoder.push(chunk.subarray(0, n));
  }
  // The voxels: read straight into the typed array, no intermediate buffer.
  while (decoder.wantsVoxels) {
    options.signal?.throwIfAborted();
    const window = decoder.voxelWindow();
    const length = Math.min(window.length, READ_SLICE_BYTES);
    const { bytesRead } = await file.read(window, 0, length, decoder.fileOffset);
    if (bytesRead === 0) {
      break;
    }
    decoder.advance(bytesRead);
  }
  return decoder.finish();
}

async function readGzip(path: string, options: ReadNiftiFileOptions): Promise<MedicalImage> {
  const decoder = new NiftiDecoder(options.source ?? path, options);
  // When the consuming stage throws, pipeline reports the AbortError it used to stop the other streams; keep ours.
  let rejected: unknown;
  await pipeline(
    createReadStream(path, { highWaterMark: GUNZIP_CHUNK_BYTES }),
    createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }),
    async (chunks: AsyncIterable<Buffer>) => {
      try {
        for await (const chunk of chunks) {
          decoder.push(chunk);
        }
      } catch (error) {
        rejected = error;
        throw error;
      }
    },
    options.signal ? { signal: options.signal } : {},
  ).catch((error: unknown) => {
    throw rejected ?? error;
  });
  return decoder.finish();
}

/** Errors of the file system, zlib and aborts, in the library's own terms. */
function asAiaaError(error: unknown, path: string, signal: AbortSignal | undefined): AiaaError {
  if (error instanceof AiaaError) {
    return error;
  }
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
    return new CancelledError(`${path}: reading cancelled`);
  }
  const code = (error as { code?: string }).code ?? '';
  if (code === 'ENOENT') {
    return new InvalidNiftiError(path, 'file', 'no such file', 'not-found');
  }
  if (code.startsWith('Z_') || code.startsWith('ERR_ZLIB')) {
    return new InvalidNiftiError(path, 'gzip', `cannot inflate: ${describeError(error)}`);
  }
  return new InvalidNiftiError(path, 'file', `cannot read: ${describeError(error)}`, 'internal');
}
