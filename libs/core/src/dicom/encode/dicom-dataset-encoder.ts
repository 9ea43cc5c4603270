// A DICOM dataset writer in explicit VR little endian (PS3.5 §7.1.2), with sequences of defined length, and the
// Part 10 file around it (PS3.10 §7.1: preamble, 'DICM', the File Meta Information group).
import { randomBytes } from 'node:crypto';

/** One data element. SQ values are items, each a list of elements; numbers are encoded per VR. */
export interface DataElement {
  /** 0xGGGGEEEE. */
  readonly tag: number;
  readonly vr: string;
  readonly value: ElementValue;
}
export type ElementValue = string | number | readonly (string | number)[] | Uint8Array | readonly DataElement[][];

/** VRs with 2 reserved bytes and a 4-byte length in explicit VR (PS3.5 Table 7.1-1). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const TEXT_VRS = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);
const NUMBER_WIDTH: Readonly<Record<string, number>> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, AT: 4 };
const ITEM = 0xfffee000;

/** UID of this implementation (File Meta Information 0002,0012): a UUID-derived UID (PS3.5 §B.2). */
export const IMPLEMENTATION_CLASS_UID = '2.25.254883486356227427373212837396146186539';
export const EXPLICIT_VR_LITTLE_ENDIAN_UID = '1.2.840.10008.1.2.1';

/** A new UUID-derived UID (`2.25.<128-bit decimal>`, PS3.5 §B.2). */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`).toString(10)}`;
}

/** A DS value within its 16 characters, with as many significant digits as fit. */
export function decimalString(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`DS value ${value} is not finite`);
  }
  for (let digits = 17; digits > 0; digits--) {
    const text = String(Number(value.toPrecision(digits)));
    if (text.length <= 16) {
      return text;
    }
  }
  return '0';
}

/** The elements, sorted by tag, in explicit VR little endian. */
export function encodeDataset(elements: readonly DataElement[]): Buffer {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  return Buffer.concat(sorted.map(encodeElement));
}

/** A Part 10 file: meta header naming the SOP class and instance, then the dataset in explicit VR little endian. */
export function encodePart10(sopClassUid: string, sopInstanceUid: string, dataset: readonly DataElement[]): Buffer {
  const meta = encodeDataset([
    { tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0, 1) },
    { tag: 0x00020002, vr: 'UI', value: sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: EXPLICIT_VR_LITTLE_ENDIAN_UID },
    { tag: 0x00020012, vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: 'SH', value: 'AIAA_TS' },
  ]);
  const groupLength = encodeElement({ tag: 0x00020000, vr: 'UL', value: meta.length });
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, meta, encodeDataset(dataset)]);
}

function encodeElement(element: DataElement): Buffer {
  const value = encodeValue(element);
  const long = LONG_VRS.has(element.vr);
  if (!long && value.length > 0xffff) {
    throw new RangeError(`${tagName(element.tag)} ${element.vr}: ${value.length} bytes do not fit a 2-byte length`);
  }
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(element.tag >>> 16, 0);
  head.writeUInt16LE(element.tag & 0xffff, 2);
  head.write(element.vr, 4, 'latin1');
  if (long) {
    head.writeUInt32LE(value.length, 8);
  } else {
    head.writeUInt16LE(value.length, 6);
  }
  return Buffer.concat([head, value]);
}

function encodeValue(element: DataElement): Buffer {
  const { vr, value } = element;
  if (vr === 'SQ') {
    if (!isItems(value)) {
      throw new TypeError(`${tagName(element.tag)} SQ needs items`);
    }
    return Buffer.concat(value.map((item) => withItemHeader(encodeDataset(item))));
  }
  if (value instanceof Uint8Array) {
    return value.length % 2 === 0
      ? Buffer.from(value.buffer, value.byteOffset, value.length)
      : Buffer.concat([value, Buffer.alloc(1)]);
  }
  const values = (Array.isArray(value) ? value : [value]) as readonly (string | number)[];
  if (TEXT_VRS.has(vr)) {
    const text = values
      .map((v) => (typeof v === 'number' ? (vr === 'DS' ? decimalString(v) : String(v)) : v))
      .join('\\');
    const bytes = Buffer.from(text, 'utf8');
    return bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.from(vr === 'UI' ? '\0' : ' ', 'latin1')]);
  }
  const width = NUMBER_WIDTH[vr];
  if (width === undefined) {
    throw new TypeError(`${tagName(element.tag)}: VR ${vr} is not written here`);
  }
  const out = Buffer.alloc(values.length * width);
  values.forEach((v, n) => writeNumber(out, n * width, vr, Number(v)));
  return out;
}

function writeNumber(out: Buffer, at: number, vr: string, v: number): void {
  switch (vr) {
    case 'US':
      out.writeUInt16LE(v, at);
      break;
    case 'SS':
      out.writeInt16LE(v, at);
      break;
    case 'UL':
      out.writeUInt32LE(v, at);
      break;
    case 'SL':
      out.writeInt32LE(v, at);
      break;
    case 'FL':
      out.writeFloatLE(v, at);
      break;
    case 'FD':
      out.writeDoubleLE(v, at);
      break;
    default:
      // AT: a tag as group then element.
      out.writeUInt16LE(v >>> 16, at);
      out.writeUInt16LE(v & 0xffff, at + 2);
  }
}

function withItemHeader(body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(ITEM >>> 16, 0);
  head.writeUInt16LE(ITEM & 0xffff, 2);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function isItems(value: ElementValue): value is readonly DataElement[][] {
  return Array.isArray(value) && value.every((item) => Array.isArray(item));
}

function tagName(tag: number): string {
  return `(${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')})`.toUpperCase();
}
