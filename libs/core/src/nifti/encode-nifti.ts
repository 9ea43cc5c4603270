import { InvalidInputError } from '../errors';
import { type VoxelArray, type VoxelDType, castVoxels } from '../image/dtype';
import type { MedicalImage } from '../image/medical-image';
import { qformFromAffine } from './nifti-affine';
import { niftiCodeOf } from './nifti-datatype';
import { NIFTI1_HEADER_BYTES } from './read-nifti-header';

/** Where the voxels start in the files written here: right after the header and an empty extender. */
const VOX_OFFSET = NIFTI1_HEADER_BYTES + 4;
/** xyzt_units when the image carries no header: mm and seconds. */
const MM_AND_SECONDS = 2 | 8;
/** NIFTI_XFORM_ALIGNED_ANAT and NIFTI_XFORM_SCANNER_ANAT, the codes written when the image has none. */
const ALIGNED_ANAT = 2;
const SCANNER_ANAT = 1;
const INT16_MAX = 32767;

/** A NIfTI file in two parts, so that a writer can stream the voxels without joining them to the header. */
export interface EncodedNifti {
  /** Header, extender and padding: `vox_offset` bytes. */
  header: Uint8Array;
  /** The voxels, little-endian, file order (a view when no conversion was needed). */
  voxels: Uint8Array;
}

/** Options of {@link encodeNifti}. */
export interface EncodeNiftiOptions {
  /** Datatype written (values are rounded and clamped to it); default: the image's own. */
  dtype?: VoxelDType;
}

/**
 * Encodes an image as an uncompressed little-endian NIfTI-1 file. The sform is the image's affine (its code from the
 * kept header, else aligned-anat); the qform is the nearest rotation + voxel sizes + flip (code from the header, else
 * scanner-anat); pixdim[1..3] are the affine's column lengths; `scl_slope` is 0 (the voxels are stored as they are).
 * Intent, units, description and slice fields come from the image's header when it has one; extensions are dropped.
 *
 * @throws InvalidInputError for shape formats whose order is not NIfTI's (channels last, a batch above 1).
 */
export function encodeNifti(image: MedicalImage, options: EncodeNiftiOptions = {}): Uint8Array {
  const { header, voxels } = encodeNiftiParts(image, options);
  const out = new Uint8Array(header.length + voxels.length);
  out.set(header);
  out.set(voxels, header.length);
  return out;
}

/** {@link encodeNifti} without joining header and voxels. */
export function encodeNiftiParts(image: MedicalImage, options: EncodeNiftiOptions = {}): EncodedNifti {
  const dims = niftiDims(image);
  const tooLong = dims.findIndex((d, i) => i > 0 && d > INT16_MAX);
  if (tooLong > 0) {
    throw new InvalidInputError(
      `${image.source}: dim[${tooLong}] = ${dims[tooLong]} does not fit NIfTI-1's int16 dims (at most ${INT16_MAX})`,
    );
  }
  const dtype = options.dtype ?? image.dtype;
  const voxels: VoxelArray = castVoxels(image.voxels, dtype);
  const { datatypeCode, bitpix } = niftiCodeOf(dtype);
  const kept = image.header;
  const q = qformFromAffine(image.affine);
  const bytes = new Uint8Array(VOX_OFFSET);
  const v = new DataView(bytes.buffer);
  const le = true;
  v.setInt32(0, NIFTI1_HEADER_BYTES, le);
  v.setUint8(39, uint8OrZero(kept?.dimInfo));
  for (let i = 0; i < 8; i++) {
    v.setInt16(40 + 2 * i, dims[i] ?? 1, le);
  }
  v.setFloat32(56, kept?.intentP1 ?? 0, le);
  v.setFloat32(60, kept?.intentP2 ?? 0, le);
  v.setFloat32(64, kept?.intentP3 ?? 0, le);
  v.setInt16(68, int16OrZero(kept?.intentCode), le);
  v.setInt16(70, datatypeCode, le);
  v.setInt16(72, bitpix, le);
  v.setInt16(74, int16OrZero(kept?.sliceStart), le);
  // pixdim: qfac, the voxel sizes from the affine, then the kept time/channel steps.
  const pixDims = [q.qfac, ...q.pixDimsMm];
  for (let i = 4; i < 8; i++) {
    pixDims.push(kept?.pixDims[i] || 1);
  }
  pixDims.forEach((p, i) => v.setFloat32(76 + 4 * i, p, le));
  v.setFloat32(108, VOX_OFFSET, le);
  v.setFloat32(112, 0, le); // scl_slope 0: no scaling
  v.setFloat32(116, 0, le);
  v.setInt16(120, int16OrZero(kept?.sliceEnd), le);
  v.setUint8(122, uint8OrZero(kept?.sliceCode));
  v.setUint8(123, kept ? uint8OrZero(kept.xyztUnits) : MM_AND_SECONDS);
  // cal_min/cal_max stay 0 (unset): display ranges of the input rarely fit an output of another datatype.
  v.setFloat32(132, kept?.sliceDuration ?? 0, le);
  v.setFloat32(136, kept?.toffset ?? 0, le);
  writeText(bytes, 148, 80, kept?.description ?? '');
  writeText(bytes, 228, 24, kept?.auxFile ?? '');
  v.setInt16(252, kept && kept.qformCode > 0 ? int16OrZero(kept.qformCode) : SCANNER_ANAT, le);
  v.setInt16(254, kept && kept.sformCode > 0 ? int16OrZero(kept.sformCode) : ALIGNED_ANAT, le);
  [q.quaternB, q.quaternC, q.quaternD, q.qoffsetX, q.qoffsetY, q.qoffsetZ].forEach((x, i) =>
    v.setFloat32(256 + 4 * i, x, le),
  );
  for (let i = 0; i < 12; i++) {
    v.setFloat32(280 + 4 * i, image.affine[i] as number, le);
  }
  writeText(bytes, 328, 16, kept?.intentName ?? '');
  bytes.set([0x6e, 0x2b, 0x31, 0x00], 344); // "n+1\0"; the extender (348..351) stays 0: no extensions
  return { header: bytes, voxels: new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength) };
}

/** dim[0..7] for the image's shape format; voxels must already be in NIfTI order (x fastest, channels slowest). */
function niftiDims(image: MedicalImage): number[] {
  const s = image.shape;
  const n = (i: number): number => s[i] as number;
  switch (image.shapeFormat) {
    case 'DHW':
      return [3, n(2), n(1), n(0)];
    case 'HW':
      return [2, n(1), n(0)];
    case 'CDHW':
      return n(0) === 1 ? [3, n(3), n(2), n(1)] : [4, n(3), n(2), n(1), n(0)];
    case 'CHW':
      return n(0) === 1 ? [2, n(2), n(1)] : [4, n(2), n(1), 1, n(0)];
    case 'NCDHW':
    case 'NCHW':
      if (n(0) === 1) {
        return niftiDims(
          image.with({ shape: s.slice(1), shapeFormat: image.shapeFormat === 'NCDHW' ? 'CDHW' : 'CHW' }),
        );
      }
      break;
    case 'DHWC':
    case 'HWC':
      if (n(s.length - 1) === 1) {
        return niftiDims(
          image.with({ shape: s.slice(0, -1), shapeFormat: image.shapeFormat === 'DHWC' ? 'DHW' : 'HW' }),
        );
      }
      break;
  }
  throw new InvalidInputError(
    `${image.source}: cannot write shape ${image.shapeFormat} [${s.join(', ')}] as NIfTI: channels must come first and the batch must be 1`,
  );
}

// Fields kept from a NIfTI-2 header are 32/64-bit there; a value NIfTI-1 cannot hold is dropped, never wrapped.
function int16OrZero(value: number | undefined): number {
  return value !== undefined && Number.isInteger(value) && value >= -32768 && value <= INT16_MAX ? value : 0;
}

function uint8OrZero(value: number | undefined): number {
  return value !== undefined && Number.isInteger(value) && value >= 0 && value <= 255 ? value : 0;
}

function writeText(bytes: Uint8Array, at: number, length: number, text: string): void {
  // Latin-1, truncated to leave the terminating NUL.
  for (let i = 0; i < Math.min(text.length, length - 1); i++) {
    bytes[at + i] = text.charCodeAt(i) & 0xff;
  }
}
