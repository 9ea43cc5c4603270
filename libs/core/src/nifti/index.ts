export type { NiftiHeader } from '../image/nifti-header';
export { readNiftiHeader } from './read-nifti-header';
export { type ReadNiftiOptions, DEFAULT_MAX_NIFTI_BYTES } from './nifti-decoder';
export { decodeNifti, isGzip } from './decode-nifti';
export { readNifti, type ReadNiftiFileOptions } from './read-nifti';
export { affineFromHeader } from './nifti-affine';
export { encodeNifti, type EncodeNiftiOptions } from './encode-nifti';
export { writeNifti, type WriteNiftiOptions } from './write-nifti';
export { readNiftiGrid, type NiftiGrid } from './read-nifti-grid';
