import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  InvalidInputError,
  InvalidNiftiError,
  MedicalImage,
  isGzip,
  readNiftiGrid,
  writeNifti,
  type NiftiGrid,
} from '@aiaa/core';
import { hashFile } from '../../admin/model-files';
import { type UploadedFile, clientFileName } from '../../upload/upload-policy';
import type { IncomingFile } from './datastore';

/** What a label is checked against: the sizes [i, j, k] and voxel → RAS+ affine of its image. */
export type ImageGrid = Pick<NiftiGrid, 'sizeIjk' | 'affine'>;

/** Suffixes a label may carry, longest first. `.bin` (raw uint8, OHIF) is stored as `.nii.gz`. */
const LABEL_EXTENSIONS = ['.seg.nrrd', '.nii.gz', '.nii', '.nrrd', '.bin'] as const;

/** `multipart file part 'file' (ct.nii.gz)`, with the client's base name only. */
export function describeUpload(file: UploadedFile): string {
  return `multipart file part '${file.field}' (${baseName(file)})`;
}

/** The client's file name without its folders (the Python client sends the full client path). */
export function baseName(file: UploadedFile): string {
  return path.basename(clientFileName(file).replace(/\\/g, '/'));
}

/**
 * Checks an uploaded image (NIfTI: its header is read, never its voxels) and gives the suffix it is stored with: the
 * upload's own `.nii.gz` or `.nii`, or, when its name has neither, the one its content calls for.
 * @throws InvalidInputError naming the part when the name has another suffix or the content is not NIfTI.
 */
export async function checkImageUpload(file: UploadedFile): Promise<{ incoming: IncomingFile; grid: NiftiGrid }> {
  const lower = baseName(file).toLowerCase();
  const named = lower.endsWith('.nii.gz') ? '.nii.gz' : lower.endsWith('.nii') ? '.nii' : undefined;
  if (named === undefined && /\.(nrrd|mha|mhd|dcm|nii\.zip|zip|png|jpe?g)$/.test(lower)) {
    throw new InvalidInputError(`${describeUpload(file)}: images are stored as NIfTI (.nii or .nii.gz)`);
  }
  const grid = await readGrid(file);
  const extension = named ?? ((await startsWithGzip(file.path)) ? '.nii.gz' : '.nii');
  return { incoming: incomingOf(file, extension), grid };
}

/**
 * Checks an uploaded label against the grid of its image and gives the file to store: NIfTI labels must have the
 * image's sizes; NRRD ones (Slicer's `.seg.nrrd`) must start with the NRRD magic; `.bin` (OHIF: raw uint8 voxels, x
 * fastest) must hold exactly one byte per voxel and is written as a NIfTI on the image's grid (`dir`/label.nii.gz).
 * @throws InvalidInputError naming the part and what does not fit.
 */
export async function checkLabelUpload(file: UploadedFile, image: ImageGrid, dir: string): Promise<IncomingFile> {
  const lower = baseName(file).toLowerCase();
  const extension = LABEL_EXTENSIONS.find((ext) => lower.endsWith(ext));
  if (extension === undefined) {
    throw new InvalidInputError(
      `${describeUpload(file)}: a label must be ${LABEL_EXTENSIONS.join(', ')} (the suffix decides how it is read)`,
    );
  }
  if (extension === '.nrrd' || extension === '.seg.nrrd') {
    const head = await readHead(file.path, 8);
    if (!/^NRRD000\d$/.test(head.toString('latin1'))) {
      throw new InvalidInputError(`${describeUpload(file)}: not an NRRD file (no 'NRRD000x' magic)`);
    }
    return incomingOf(file, extension);
  }
  if (extension === '.bin') {
    return binaryToNifti(file, image, dir);
  }
  const grid = await readGrid(file);
  const [w, h, d] = grid.sizeIjk;
  const [iw, ih, id] = image.sizeIjk;
  if (w !== iw || h !== ih || d !== id) {
    throw new InvalidInputError(
      `${describeUpload(file)}: label sizes ${w}×${h}×${d} differ from the image's ${iw}×${ih}×${id}`,
    );
  }
  return incomingOf(file, extension);
}

async function binaryToNifti(file: UploadedFile, image: ImageGrid, dir: string): Promise<IncomingFile> {
  const [w, h, d] = image.sizeIjk;
  if (file.bytes !== w * h * d) {
    throw new InvalidInputError(
      `${describeUpload(file)}: a .bin label holds one uint8 per voxel, ${w}×${h}×${d} = ${w * h * d} bytes; got ${file.bytes}`,
    );
  }
  const voxels = new Uint8Array(await fs.readFile(file.path));
  const label = new MedicalImage({ voxels, shape: [d, h, w], shapeFormat: 'DHW', affine: image.affine });
  const out = path.join(dir, 'label-from-bin.nii.gz');
  await writeNifti(out, label);
  return { path: out, extension: '.nii.gz', bytes: (await fs.stat(out)).size, sha256: await hashFile(out) };
}

async function readGrid(file: UploadedFile): Promise<NiftiGrid> {
  try {
    return await readNiftiGrid(file.path, describeUpload(file));
  } catch (error) {
    if (error instanceof InvalidNiftiError) {
      throw new InvalidInputError(`${error.message} (expected a NIfTI file)`, { cause: error });
    }
    throw error;
  }
}

function incomingOf(file: UploadedFile, extension: string): IncomingFile {
  return { path: file.path, extension, bytes: file.bytes, sha256: file.sha256 ?? '' };
}

async function startsWithGzip(file: string): Promise<boolean> {
  return isGzip(new Uint8Array(await readHead(file, 2)));
}

async function readHead(file: string, count: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(count);
    const { bytesRead } = await handle.read(head, 0, count, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
