// Types of what the specs read from nrrd-js (the NRRD reader OHIF's monai-label extension parses results with).
declare module 'nrrd-js' {
  interface NrrdFile {
    type: string;
    encoding: string;
    space: string;
    sizes: number[];
    spaceDirections: (number[] | null)[];
    spaceOrigin: number[];
    data: ArrayLike<number> & { length: number };
  }
  export function parse(buffer: ArrayBuffer): NrrdFile;
}
