import { InvalidInputError } from '../errors';
import {
  EXPLICIT_BE,
  EXPLICIT_LE,
  IMPLICIT_LE,
  JPEG_BASELINE,
  type SliceSpec,
  TAG,
  sliceElements,
  writeDicomPart10,
} from './testing/dicom-writer';
import { isDicomPart10, readDicomInstance } from './dicom-instance';

// 2 rows × 3 columns; values chosen to need both bytes and a sign (-300 = 0xFED4).
const PIXELS = Int16Array.of(-300, 0, 1, 258, 32767, -32768);
const SLICE: SliceSpec = {
  rows: 2,
  columns: 3,
  pixels: PIXELS,
  pixelSpacing: [0.5, 0.75],
  positionLps: [-12.5, 30, 7.25],
  orientation: [0, 1, 0, 0, 0, -1],
  seriesUid: '1.2.3.99',
  slope: 2,
  intercept: -1024,
};

function file(spec: Partial<SliceSpec> = {}, syntax = EXPLICIT_LE): Buffer {
  return writeDicomPart10(sliceElements({ ...SLICE, ...spec }), syntax);
}

describe('readDicomInstance', () => {
  it.each([
    ['implicit VR little endian', IMPLICIT_LE],
    ['explicit VR little endian', EXPLICIT_LE],
    ['explicit VR big endian', EXPLICIT_BE],
  ])('reads the geometry, rescale and stored pixels of %s', (_name, syntax) => {
    const instance = readDicomInstance(file({}, syntax), 'image0');
    expect(instance).toMatchObject({
      part: 'image0',
      seriesUid: '1.2.3.99',
      rows: 2,
      columns: 3,
      pixelSpacingMm: [0.5, 0.75],
      positionLps: [-12.5, 30, 7.25],
      orientation: [0, 1, 0, 0, 0, -1],
      rescaleSlope: 2,
      rescaleIntercept: -1024,
    });
    expect(instance.pixels).toBeInstanceOf(Int16Array);
    expect(Array.from(instance.pixels)).toEqual([-300, 0, 1, 258, 32767, -32768]);
  });

  it('reads unsigned 16-bit and 8-bit pixels in their own datatype', () => {
    const u16 = readDicomInstance(file({ pixels: Uint16Array.of(0, 1, 40000, 65535, 2, 3) }), 'image1');
    expect(u16.pixels).toBeInstanceOf(Uint16Array);
    expect(Array.from(u16.pixels)).toEqual([0, 1, 40000, 65535, 2, 3]);
    const u8 = readDicomInstance(file({ pixels: Uint8Array.of(0, 9, 128, 255, 7, 1) }), 'image2');
    expect(u8.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(u8.pixels)).toEqual([0, 9, 128, 255, 7, 1]);
  });

  it('defaults a missing rescale to slope 1, intercept 0', () => {
    const elements = sliceElements(SLICE).filter((e) => e.tag !== 0x00281052 && e.tag !== 0x00281053);
    const instance = readDicomInstance(writeDicomPart10(elements, EXPLICIT_LE), 'image0');
    expect([instance.rescaleSlope, instance.rescaleIntercept]).toEqual([1, 0]);
  });

  it('recognises the Part 10 magic only at byte 128', () => {
    expect(isDicomPart10(file())).toBe(true);
    expect(isDicomPart10(Buffer.concat([Buffer.from('DICM'), Buffer.alloc(200)]))).toBe(false);
    expect(isDicomPart10(Buffer.alloc(100))).toBe(false);
  });
});

describe('readDicomInstance refuses', () => {
  function refusal(bytes: Buffer, part = 'image4 (ct4.dcm)'): InvalidInputError {
    try {
      readDicomInstance(bytes, part);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      return error as InvalidInputError;
    }
    throw new Error('expected a refusal');
  }

  it('a compressed transfer syntax, naming the part and the UID', () => {
    const error = refusal(file({}, JPEG_BASELINE));
    expect(error.message).toMatch(
      /^image4 \(ct4\.dcm\): transfer syntax 1\.2\.840\.10008\.1\.2\.4\.50 is not supported/,
    );
  });

  it('a deflated transfer syntax', () => {
    expect(refusal(file({}, '1.2.840.10008.1.2.1.99')).message).toContain('1.2.840.10008.1.2.1.99 is not supported');
  });

  it('a file without the DICM magic', () => {
    expect(refusal(Buffer.alloc(300)).message).toBe(
      "image4 (ct4.dcm): not a DICOM Part 10 file ('DICM' missing at byte 128)",
    );
  });

  it('a file cut inside an element header', () => {
    const bytes = file();
    expect(refusal(bytes.subarray(0, bytes.length - 15)).message).toMatch(
      /^image4 \(ct4\.dcm\): not a readable DICOM file/,
    );
  });

  it.each([
    ['ImagePositionPatient (0020,0032)', TAG.imagePosition],
    ['ImageOrientationPatient (0020,0037)', TAG.imageOrientation],
    ['PixelSpacing (0028,0030)', TAG.pixelSpacing],
    ['SeriesInstanceUID (0020,000E)', TAG.seriesUid],
    ['Rows (0028,0010)', TAG.rows],
    ['BitsAllocated (0028,0100)', TAG.bitsAllocated],
    ['PixelData (7FE0,0010)', TAG.pixelData],
  ])('a missing tag %s, naming it', (name, tag) => {
    expect(refusal(file({ omit: [tag] })).message).toBe(`image4 (ct4.dcm): missing tag ${name}`);
  });

  it('a position with two numbers', () => {
    const elements = sliceElements(SLICE).map((e) => (e.tag === TAG.imagePosition ? { ...e, value: '1\\2' } : e));
    expect(refusal(writeDicomPart10(elements, EXPLICIT_LE)).message).toBe(
      "image4 (ct4.dcm): ImagePositionPatient (0020,0032) = '1\\2'; expected 3 numbers",
    );
  });

  it('a multi-frame instance', () => {
    expect(refusal(file({ numberOfFrames: 3 })).message).toMatch(/NumberOfFrames \(0028,0008\) = 3; only single-frame/);
  });

  it('colour (three samples per pixel)', () => {
    expect(refusal(file({ samplesPerPixel: 3 })).message).toMatch(/SamplesPerPixel \(0028,0002\) = 3/);
  });

  it('an image without pixels (Rows 0)', () => {
    expect(refusal(file({ rows: 0, pixels: new Int16Array(0) })).message).toBe(
      'image4 (ct4.dcm): Rows × Columns (0028,0010/0011) = 0 × 3; an image has pixels',
    );
  });

  it('pixel data shorter than Rows × Columns', () => {
    expect(refusal(file({ pixels: Int16Array.of(1, 2, 3, 4) })).message).toBe(
      'image4 (ct4.dcm): PixelData (7FE0,0010) holds 8 bytes, expected 12 for Rows × Columns = 6 voxels of 16 bits',
    );
  });
});
