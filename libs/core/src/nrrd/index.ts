export { encodeNrrdParts, type EncodeNrrdOptions } from './encode-nrrd';
export { writeNrrd, type WriteNrrdOptions } from './write-nrrd';
