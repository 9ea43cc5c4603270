/**
 * The header fields of a NIfTI-1 or NIfTI-2 file, kept on a {@link MedicalImage} so that a result can be written
 * back with the input's own metadata (units, intent, description, codes). Names follow the standard's fields.
 */
export interface NiftiHeader {
  /** 1 for NIfTI-1 (348-byte header), 2 for NIfTI-2 (540-byte header). */
  version: 1 | 2;
  littleEndian: boolean;
  /** dim[0..7]: dim[0] is the rank, dim[1..3] are i, j, k sizes, dim[4] time/channels. */
  dims: number[];
  datatypeCode: number;
  bitpix: number;
  /** pixdim[0..7]: pixdim[0] is qfac (±1), pixdim[1..3] voxel sizes. */
  pixDims: number[];
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  calMax: number;
  calMin: number;
  qformCode: number;
  sformCode: number;
  quaternB: number;
  quaternC: number;
  quaternD: number;
  qoffsetX: number;
  qoffsetY: number;
  qoffsetZ: number;
  srowX: number[];
  srowY: number[];
  srowZ: number[];
  xyztUnits: number;
  intentCode: number;
  intentP1: number;
  intentP2: number;
  intentP3: number;
  intentName: string;
  description: string;
  auxFile: string;
  dimInfo: number;
  sliceCode: number;
  sliceStart: number;
  sliceEnd: number;
  sliceDuration: number;
  toffset: number;
  /** Raw extension bytes between the header's extender and the voxels (empty when none). */
  extensions: Uint8Array;
}
