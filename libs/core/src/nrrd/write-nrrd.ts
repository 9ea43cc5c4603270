import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { VoxelDType } from '../image/dtype';
import type { MedicalImage } from '../image/medical-image';
import { encodeNrrdParts } from './encode-nrrd';

/** Options of {@link writeNrrd}. */
export interface WriteNrrdOptions {
  /** Datatype written (values rounded and clamped to it); default: the image's own. */
  dtype?: VoxelDType;
  /** `encoding: gzip`; default true (NRRD gzips the voxels only, the header stays text). */
  compress?: boolean;
}

const SLICE_BYTES = 4 * 1024 * 1024;

/**
 * Writes an image as a single-file `.nrrd` (header, blank line, voxels), via a temporary name renamed into place so
 * readers never see half a file. See {@link encodeNrrdParts} for the geometry written.
 */
export async function writeNrrd(path: string, image: MedicalImage, options: WriteNrrdOptions = {}): Promise<void> {
  const gzip = options.compress ?? true;
  const { header, voxels } = encodeNrrdParts(image, { gzip, ...(options.dtype ? { dtype: options.dtype } : {}) });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  function* slices(): Generator<Uint8Array> {
    for (let at = 0; at < voxels.length; at += SLICE_BYTES) {
      yield voxels.subarray(at, at + SLICE_BYTES);
    }
  }
  const sink = createWriteStream(tmp);
  try {
    await new Promise<void>((resolve, reject) => sink.write(header, (error) => (error ? reject(error) : resolve())));
    const source = Readable.from(slices(), { objectMode: false });
    if (gzip) {
      await pipeline(source, createGzip({ level: 1 }), sink);
    } else {
      await pipeline(source, sink);
    }
    await rename(tmp, path);
  } catch (error) {
    sink.destroy();
    await rm(tmp, { force: true });
    throw error;
  }
}
