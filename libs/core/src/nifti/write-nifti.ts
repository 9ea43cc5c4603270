import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { VoxelDType } from '../image/dtype';
import type { MedicalImage } from '../image/medical-image';
import { encodeNiftiParts } from './encode-nifti';

/** Options of {@link writeNifti}. */
export interface WriteNiftiOptions {
  /** Datatype written (values rounded and clamped to it); default: the image's own. */
  dtype?: VoxelDType;
  /** Gzip the file; default: when the path ends with `.gz`. */
  compress?: boolean;
  /** Gzip level 1..9; default 1, which is fast and nearly as small on label volumes. */
  level?: number;
}

/** Writes at most this much at a time, so gzip works through the voxels in bounded slices. */
const SLICE_BYTES = 4 * 1024 * 1024;

/**
 * Writes an image as a NIfTI-1 file (see {@link encodeNifti} for the header), gzipped when the path ends with `.gz`
 * (or as `compress` says). The file is written under a temporary name in the same folder and renamed into place, so
 * readers never see half a file.
 *
 * @throws InvalidInputError for shape formats NIfTI cannot hold; the file system's error when the folder is not
 * writable.
 */
export async function writeNifti(path: string, image: MedicalImage, options: WriteNiftiOptions = {}): Promise<void> {
  const { header, voxels } = encodeNiftiParts(image, options.dtype ? { dtype: options.dtype } : {});
  const compress = options.compress ?? path.endsWith('.gz');
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  function* parts(): Generator<Uint8Array> {
    yield header;
    for (let at = 0; at < voxels.length; at += SLICE_BYTES) {
      yield voxels.subarray(at, at + SLICE_BYTES);
    }
  }
  try {
    const source = Readable.from(parts(), { objectMode: false });
    const sink = createWriteStream(tmp);
    if (compress) {
      await pipeline(source, createGzip({ level: options.level ?? 1 }), sink);
    } else {
      await pipeline(source, sink);
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
