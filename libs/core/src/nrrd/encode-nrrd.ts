import { InvalidInputError } from '../errors';
import { castVoxels, dtypeOf, type VoxelDType } from '../image/dtype';
import type { MedicalImage } from '../image/medical-image';

/** NRRD's names of our voxel datatypes. */
const NRRD_TYPES: Record<VoxelDType, string> = {
  uint8: 'uint8',
  int8: 'int8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  float32: 'float',
  float64: 'double',
};

/** Options of {@link encodeNrrdParts}. */
export interface EncodeNrrdOptions {
  /** Datatype written (values rounded and clamped to it); default: the image's own. */
  dtype?: VoxelDType;
  /** `encoding: gzip` (the caller gzips the voxel bytes) or `raw`. */
  gzip: boolean;
}

/**
 * The NRRD header and voxel bytes of an image (NRRD0004, as 3D Slicer and OHIF read it). Geometry is written in LPS,
 * the space Slicer and ITK use: our affine maps voxels to RAS+, so its x and y rows change sign. NRRD lists axes
 * fastest first, which is our voxel order read backwards: `sizes: W H D [C]`, no transposition. Channels (`CDHW`)
 * become a trailing `list` axis without a space direction.
 *
 * @throws InvalidInputError for shape formats other than DHW and CDHW.
 */
export function encodeNrrdParts(
  image: MedicalImage,
  options: EncodeNrrdOptions,
): { header: Uint8Array; voxels: Uint8Array } {
  if (image.shapeFormat !== 'DHW' && image.shapeFormat !== 'CDHW') {
    throw new InvalidInputError(`NRRD output holds DHW or CDHW images, not ${image.shapeFormat}`);
  }
  const voxels = castVoxels(image.voxels, options.dtype ?? dtypeOf(image.voxels));
  const [width, height, depth] = image.sizeIjk;
  const a = image.affine;
  // column j of the 3×3 is the mm step of voxel axis j; LPS = RAS with x and y negated
  const column = (j: number): string =>
    `(${formatNumber(-(a[j] ?? 0))},${formatNumber(-(a[4 + j] ?? 0))},${formatNumber(a[8 + j] ?? 0)})`;
  const channels = image.shapeFormat === 'CDHW';
  const lines = [
    'NRRD0004',
    '# written by the AIAA server',
    `type: ${NRRD_TYPES[dtypeOf(voxels)]}`,
    `dimension: ${channels ? 4 : 3}`,
    'space: left-posterior-superior',
    `sizes: ${width} ${height} ${depth}${channels ? ` ${image.channels}` : ''}`,
    `space directions: ${column(0)} ${column(1)} ${column(2)}${channels ? ' none' : ''}`,
    `kinds: domain domain domain${channels ? ' list' : ''}`,
    'endian: little',
    `encoding: ${options.gzip ? 'gzip' : 'raw'}`,
    `space origin: (${formatNumber(-(a[3] ?? 0))},${formatNumber(-(a[7] ?? 0))},${formatNumber(a[11] ?? 0)})`,
  ];
  return {
    header: new TextEncoder().encode(`${lines.join('\n')}\n\n`),
    voxels: new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength),
  };
}

/** Shortest exact text of a number (`-0` written as `0`). */
function formatNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}
