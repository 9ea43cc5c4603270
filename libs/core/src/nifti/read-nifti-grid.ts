import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InvalidNiftiError } from '../errors';
import type { Mat4 } from '../image/affine';
import { isGzip } from './decode-nifti';
import { affineFromHeader } from './nifti-affine';
import type { NiftiHeader } from '../image/nifti-header';
import { readNiftiHeader } from './read-nifti-header';

/** Enough bytes for either header: NIfTI-2's is 540 (NIfTI-1's 348 plus its 4-byte extender fits too). */
const HEADER_BYTES = 540;
/** Inflated in small pieces: only the first one is needed. */
const CHUNK_BYTES = 16 * 1024;

/** Where a NIfTI's voxels sit: sizes along i, j, k and the voxel → RAS+ mm affine, with the header they came from. */
export interface NiftiGrid {
  readonly header: NiftiHeader;
  readonly sizeIjk: [number, number, number];
  readonly affine: Mat4;
}

/** The first `count` bytes of a file, inflated first when it is gzip; fewer when the file is shorter. */
async function readHead(path: string, count: number, source: string): Promise<Uint8Array> {
  const magic = new Uint8Array(2);
  const handle = await open(path, 'r');
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const stream = isGzip(magic) ? pipeline(file, createGunzip({ chunkSize: CHUNK_BYTES }), () => undefined) : file;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= count) {
        break; // leaving the loop destroys the streams: the rest of the file is never read
      }
    }
  } catch (error) {
    throw new InvalidNiftiError(source, 'file', `cannot be read as gzip: ${(error as Error).message}`);
  } finally {
    file.destroy();
  }
  return Buffer.concat(chunks).subarray(0, count);
}

/**
 * The grid of a NIfTI file (`.nii` or gzip) from its header alone: the voxels are neither inflated nor read, so a
 * reference volume costs one small read whatever its size. Sizes past dim[0] read as 1; the affine is chosen as
 * `readNifti` chooses it (sform, else qform, else the base affine).
 *
 * @throws InvalidNiftiError naming the field at fault (`sizeof_hdr`, `magic`, `dim[n]`...).
 */
export async function readNiftiGrid(path: string, source: string): Promise<NiftiGrid> {
  const header = readNiftiHeader(await readHead(path, HEADER_BYTES, source), source);
  const rank = header.dims[0] as number;
  const size = (axis: number): number => (axis <= rank ? (header.dims[axis] as number) : 1);
  return { header, sizeIjk: [size(1), size(2), size(3)], affine: affineFromHeader(header) };
}
