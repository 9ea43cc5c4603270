import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InvalidNiftiError } from '../errors';
import type { Mat4 } from '../image/affine';
import { isGzip } from './decode-nifti';
import { checkedAffineFromHeader } from './nifti-affine';
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

/** Options of {@link readNiftiGrid}. */
export interface ReadNiftiGridOptions {
  /**
   * Also check that the file holds every voxel byte its header promises (a plain file by its size, a gzip file by
   * inflating and counting, nothing kept), so that what is sized from the grid is backed by data the client sent.
   */
  readonly requireVoxels?: boolean;
}

/**
 * The grid of a NIfTI file (`.nii` or gzip) from its header: the voxels are not kept (nor read, unless
 * `requireVoxels`), so a reference volume costs one small read whatever its size. Sizes past dim[0] read as 1; the
 * affine is chosen as `readNifti` chooses it (sform, else qform, else the base affine).
 *
 * @throws InvalidNiftiError naming the field at fault (`sizeof_hdr`, `magic`, `dim[n]`, `voxels` when truncated).
 */
export async function readNiftiGrid(
  path: string,
  source: string,
  options: ReadNiftiGridOptions = {},
): Promise<NiftiGrid> {
  const header = readNiftiHeader(await readHead(path, HEADER_BYTES, source), source);
  const rank = header.dims[0] as number;
  const size = (axis: number): number => (axis <= rank ? (header.dims[axis] as number) : 1);
  if (options.requireVoxels) {
    const voxelBytes = header.dims.slice(1, rank + 1).reduce((a, b) => a * b, 1) * (header.bitpix / 8);
    const held = await bytesHeld(path, header.voxOffset + voxelBytes);
    if (held < header.voxOffset + voxelBytes) {
      throw new InvalidNiftiError(
        source,
        'voxels',
        `truncated: dim[1..${rank}] = ${header.dims.slice(1, rank + 1).join('×')} needs ${voxelBytes} voxel bytes from offset ${header.voxOffset}, the file holds ${Math.max(0, held - header.voxOffset)}`,
      );
    }
  }
  return { header, sizeIjk: [size(1), size(2), size(3)], affine: checkedAffineFromHeader(header, source) };
}

/** The bytes a file holds (inflated, for gzip), counted up to `enough` at most. */
async function bytesHeld(path: string, enough: number): Promise<number> {
  const magic = new Uint8Array(2);
  const handle = await open(path, 'r');
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  if (!isGzip(magic)) {
    return (await stat(path)).size;
  }
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let total = 0;
  try {
    for await (const chunk of pipeline(
      file,
      createGunzip({ chunkSize: 1024 * 1024 }),
      () => undefined,
    ) as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total >= enough) {
        break;
      }
    }
  } catch {
    // A corrupt stream holds what inflated before the fault.
  } finally {
    file.destroy();
  }
  return total;
}
