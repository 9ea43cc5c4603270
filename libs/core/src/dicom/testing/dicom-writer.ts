// A tiny DICOM Part 10 writer for tests, written from PS3.10 §7 and PS3.5 §7.1 without the parser under test:
// 128-byte preamble, 'DICM', the file meta group in explicit VR little endian, then the dataset in the chosen syntax.

/** Transfer syntax UID: Implicit VR Little Endian. */
export const IMPLICIT_LE = '1.2.840.10008.1.2';
/** Transfer syntax UID: Explicit VR Little Endian. */
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
/** Transfer syntax UID: Explicit VR Big Endian. */
export const EXPLICIT_BE = '1.2.840.10008.1.2.2';
/** Transfer syntax UID: JPEG Baseline (a compressed syntax the readers refuse). */
export const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
/** Transfer syntax UID: JPEG 2000 Lossless (encapsulated; the readers refuse it). */
export const JPEG_2000_LOSSLESS = '1.2.840.10008.1.2.4.90';
/** SOP Class UID: CT Image Storage. */
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

/** One data element: `tag` as 0xGGGGEEEE; strings are padded to even length, numbers encoded per VR. */
export interface DicomElement {
  readonly tag: number;
  readonly vr: string;
  readonly value: string | readonly number[] | Int16Array | Uint16Array | Uint8Array;
}

/** VRs whose explicit encoding has 2 reserved bytes and a 4-byte length (PS3.5 Table 7.1-1). */
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

/**
 * A Part 10 file holding `elements` (sorted here) in `transferSyntaxUid` (one of the three constants above). The meta
 * header names `sop` (default: a CT image with a fixed UID).
 */
export function writeDicomPart10(
  elements: readonly DicomElement[],
  transferSyntaxUid: string,
  sop: { classUid: string; instanceUid: string } = { classUid: CT_IMAGE_STORAGE, instanceUid: '1.2.3.4.5.6.7' },
): Buffer {
  const metaBody = Buffer.concat([
    encodeElement({ tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0, 1) }, true, false),
    encodeElement({ tag: 0x00020002, vr: 'UI', value: sop.classUid }, true, false),
    encodeElement({ tag: 0x00020003, vr: 'UI', value: sop.instanceUid }, true, false),
    encodeElement({ tag: 0x00020010, vr: 'UI', value: transferSyntaxUid }, true, false),
  ]);
  const groupLength = encodeElement({ tag: 0x00020000, vr: 'UL', value: [metaBody.length] }, true, false);
  const explicit = transferSyntaxUid !== IMPLICIT_LE;
  const bigEndian = transferSyntaxUid === EXPLICIT_BE;
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  const dataset = Buffer.concat(sorted.map((element) => encodeElement(element, explicit, bigEndian)));
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, metaBody, dataset]);
}

function encodeElement(element: DicomElement, explicit: boolean, bigEndian: boolean): Buffer {
  const value = encodeValue(element, bigEndian);
  const group = element.tag >>> 16;
  const number = element.tag & 0xffff;
  const head: number[] = [];
  const u16 = (v: number): void => {
    head.push(...(bigEndian ? [(v >> 8) & 0xff, v & 0xff] : [v & 0xff, (v >> 8) & 0xff]));
  };
  const u32 = (v: number): void => {
    const bytes = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    head.push(...(bigEndian ? bytes.reverse() : bytes));
  };
  u16(group);
  u16(number);
  if (!explicit) {
    u32(value.length);
  } else if (LONG_VRS.has(element.vr)) {
    head.push(element.vr.charCodeAt(0), element.vr.charCodeAt(1), 0, 0);
    u32(value.length);
  } else {
    head.push(element.vr.charCodeAt(0), element.vr.charCodeAt(1));
    u16(value.length);
  }
  return Buffer.concat([Buffer.from(head), value]);
}

function encodeValue(element: DicomElement, bigEndian: boolean): Buffer {
  const { vr, value } = element;
  if (typeof value === 'string') {
    const padded = value.length % 2 === 0 ? value : value + (vr === 'UI' ? '\0' : ' ');
    return Buffer.from(padded, 'latin1');
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value.length % 2 === 0 ? value : Uint8Array.from([...value, 0]));
  }
  const width = vr === 'UL' ? 4 : 2;
  const out = Buffer.alloc(value.length * width);
  for (let n = 0; n < value.length; n++) {
    const v = value[n] as number;
    if (width === 4) {
      if (bigEndian) out.writeUInt32BE(v >>> 0, n * 4);
      else out.writeUInt32LE(v >>> 0, n * 4);
    } else if (bigEndian) {
      out.writeUInt16BE(v & 0xffff, n * 2);
    } else {
      out.writeUInt16LE(v & 0xffff, n * 2);
    }
  }
  return out;
}

/** The geometry and pixels of one CT-like slice. */
export interface SliceSpec {
  readonly rows: number;
  readonly columns: number;
  /** Stored values, row-major (column index fastest). */
  readonly pixels: Int16Array | Uint16Array | Uint8Array;
  /** [row spacing, column spacing] in mm, as PixelSpacing holds them. */
  readonly pixelSpacing: readonly [number, number];
  readonly positionLps: readonly [number, number, number];
  /** Row direction cosines then column direction cosines. */
  readonly orientation: readonly [number, number, number, number, number, number];
  readonly seriesUid?: string;
  readonly slope?: number;
  readonly intercept?: number;
  readonly signed?: boolean;
  readonly numberOfFrames?: number;
  readonly samplesPerPixel?: number;
  /** Tags to leave out (to test refusals). */
  readonly omit?: readonly number[];
}

/** The tags the writer and its tests use, by name, as `(group << 16) | element`. */
export const TAG = {
  samplesPerPixel: 0x00280002,
  numberOfFrames: 0x00280008,
  rows: 0x00280010,
  columns: 0x00280011,
  pixelSpacing: 0x00280030,
  bitsAllocated: 0x00280100,
  pixelRepresentation: 0x00280103,
  imagePosition: 0x00200032,
  imageOrientation: 0x00200037,
  seriesUid: 0x0020000e,
  pixelData: 0x7fe00010,
} as const;

/** The elements of one slice (with the tags in `omit` left out). */
export function sliceElements(spec: SliceSpec): DicomElement[] {
  const eightBit = spec.pixels instanceof Uint8Array;
  const decimal = (values: readonly number[]): string => values.map((v) => String(v)).join('\\');
  const elements: DicomElement[] = [
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: TAG.seriesUid, vr: 'UI', value: spec.seriesUid ?? '1.2.826.0.1.3680043.2.1125.1' },
    { tag: TAG.imagePosition, vr: 'DS', value: decimal(spec.positionLps) },
    { tag: TAG.imageOrientation, vr: 'DS', value: decimal(spec.orientation) },
    { tag: TAG.samplesPerPixel, vr: 'US', value: [spec.samplesPerPixel ?? 1] },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: TAG.rows, vr: 'US', value: [spec.rows] },
    { tag: TAG.columns, vr: 'US', value: [spec.columns] },
    { tag: TAG.pixelSpacing, vr: 'DS', value: decimal(spec.pixelSpacing) },
    { tag: TAG.bitsAllocated, vr: 'US', value: [eightBit ? 8 : 16] },
    { tag: 0x00280101, vr: 'US', value: [eightBit ? 8 : 16] },
    { tag: 0x00280102, vr: 'US', value: [eightBit ? 7 : 15] },
    { tag: TAG.pixelRepresentation, vr: 'US', value: [(spec.signed ?? spec.pixels instanceof Int16Array) ? 1 : 0] },
    { tag: 0x00281052, vr: 'DS', value: String(spec.intercept ?? 0) },
    { tag: 0x00281053, vr: 'DS', value: String(spec.slope ?? 1) },
    { tag: TAG.pixelData, vr: eightBit ? 'OB' : 'OW', value: spec.pixels },
  ];
  if (spec.numberOfFrames !== undefined) {
    elements.push({ tag: TAG.numberOfFrames, vr: 'IS', value: String(spec.numberOfFrames) });
  }
  return elements.filter((element) => !(spec.omit ?? []).includes(element.tag));
}

/**
 * A PixelData element (7FE0,0010) OB of undefined length, encapsulated as PS3.5 §A.4 lays it out: an empty offset
 * table item, one fragment holding a JPEG 2000 code stream of only its SOC and SIZ markers, the sequence delimiter.
 * Appended to a Part 10 file in {@link JPEG_2000_LOSSLESS} (whose elements sort before it), it makes an instance that
 * a PACS stores and indexes but cannot decode.
 */
export function jpeg2000PixelDataStub(): Buffer {
  const u32 = (v: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    return b;
  };
  const item = (body: Buffer): Buffer => Buffer.concat([Buffer.from([0xfe, 0xff, 0x00, 0xe0]), u32(body.length), body]);
  const codeStream = Buffer.concat([Buffer.from([0xff, 0x4f, 0xff, 0x51]), Buffer.alloc(60)]);
  return Buffer.concat([
    Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0]),
    u32(0xffffffff),
    item(Buffer.alloc(0)),
    item(codeStream),
    Buffer.from([0xfe, 0xff, 0xdd, 0xe0]),
    u32(0),
  ]);
}
