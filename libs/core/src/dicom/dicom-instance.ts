import * as dicomParser from 'dicom-parser';
import { InvalidInputError, describeError } from '../errors';
import { EXPLICIT_VR_BIG_ENDIAN, NATIVE_TRANSFER_SYNTAXES } from './transfer-syntax';

/** Where the 'DICM' magic of a Part 10 file sits: after the 128-byte preamble. */
const MAGIC_OFFSET = 128;

/** Stored pixel values of one frame, in the datatype BitsAllocated and PixelRepresentation name. */
export type DicomPixels = Int16Array | Uint16Array | Int8Array | Uint8Array;

/** What the series assembly needs from one DICOM instance (one slice). */
export interface DicomInstance {
  /** The multipart part it came from (`image3` or `image3 (slice3.dcm)`), for error messages. */
  readonly part: string;
  readonly seriesUid: string;
  readonly rows: number;
  readonly columns: number;
  /** PixelSpacing as DICOM orders it: [between rows (along a column), between columns (along a row)], in mm. */
  readonly pixelSpacingMm: readonly [number, number];
  /** ImagePositionPatient: the centre of the first pixel, in LPS mm. */
  readonly positionLps: readonly [number, number, number];
  /** ImageOrientationPatient: row direction cosines then column direction cosines (LPS). */
  readonly orientation: readonly [number, number, number, number, number, number];
  /** SliceThickness in mm when present (used only for a single-slice series). */
  readonly sliceThicknessMm: number | undefined;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  /** Stored values, row-major (column index fastest), Rows × Columns of them. */
  readonly pixels: DicomPixels;
}

/** True when `bytes` starts like a DICOM Part 10 file ('DICM' after the 128-byte preamble). */
export function isDicomPart10(bytes: Uint8Array): boolean {
  return (
    bytes.length >= MAGIC_OFFSET + 4 &&
    bytes[MAGIC_OFFSET] === 0x44 &&
    bytes[MAGIC_OFFSET + 1] === 0x49 &&
    bytes[MAGIC_OFFSET + 2] === 0x43 &&
    bytes[MAGIC_OFFSET + 3] === 0x4d
  );
}

/**
 * Reads one single-frame, one-sample DICOM Part 10 instance stored in a native (uncompressed) transfer syntax.
 *
 * @throws InvalidInputError naming `part` and the tag or transfer syntax at fault: not Part 10, a compressed or
 *   deflated syntax, a missing or malformed required tag, more than one frame or sample, BitsAllocated other than
 *   8 or 16, or pixel data shorter than Rows × Columns.
 */
export function readDicomInstance(bytes: Uint8Array, part: string): DicomInstance {
  if (!isDicomPart10(bytes)) {
    throw new InvalidInputError(`${part}: not a DICOM Part 10 file ('DICM' missing at byte 128)`);
  }
  const syntax = parseOrRefuse(part, () => dicomParser.readPart10Header(bytes)).string('x00020010');
  if (syntax === undefined || !NATIVE_TRANSFER_SYNTAXES.has(syntax)) {
    throw new InvalidInputError(
      `${part}: transfer syntax ${syntax ?? '(missing 0002,0010)'} is not supported; ` +
        `send uncompressed instances (${[...NATIVE_TRANSFER_SYNTAXES].join(', ')})`,
    );
  }
  const data = parseOrRefuse(part, () => dicomParser.parseDicom(bytes));
  const tags = new TagReader(data, part);

  const samples = tags.uint16('x00280002', 'SamplesPerPixel');
  if (samples !== 1) {
    throw new InvalidInputError(`${part}: SamplesPerPixel (0028,0002) = ${samples}; only 1 (greyscale) is supported`);
  }
  const frames = data.intString('x00280008') ?? 1;
  if (frames !== 1) {
    throw new InvalidInputError(
      `${part}: NumberOfFrames (0028,0008) = ${frames}; only single-frame instances (one slice per file) are supported`,
    );
  }
  const rows = tags.uint16('x00280010', 'Rows');
  const columns = tags.uint16('x00280011', 'Columns');
  if (rows === 0 || columns === 0) {
    throw new InvalidInputError(`${part}: Rows × Columns (0028,0010/0011) = ${rows} × ${columns}; an image has pixels`);
  }
  const bitsAllocated = tags.uint16('x00280100', 'BitsAllocated');
  const signed = tags.uint16('x00280103', 'PixelRepresentation') === 1;
  return {
    part,
    seriesUid: tags.string('x0020000e', 'SeriesInstanceUID'),
    rows,
    columns,
    pixelSpacingMm: tags.decimals<[number, number]>('x00280030', 'PixelSpacing', 2),
    positionLps: tags.decimals<[number, number, number]>('x00200032', 'ImagePositionPatient', 3),
    orientation: tags.decimals<DicomInstance['orientation']>('x00200037', 'ImageOrientationPatient', 6),
    sliceThicknessMm: data.floatString('x00180050'),
    rescaleSlope: data.floatString('x00281053') ?? 1,
    rescaleIntercept: data.floatString('x00281052') ?? 0,
    pixels: readPixels(data, part, rows * columns, bitsAllocated, signed, syntax === EXPLICIT_VR_BIG_ENDIAN),
  };
}

function parseOrRefuse(part: string, parse: () => dicomParser.DataSet): dicomParser.DataSet {
  try {
    return parse();
  } catch (error) {
    // dicom-parser throws strings, Errors, or `{ exception, dataSet }` objects.
    const cause = typeof error === 'object' && error !== null && 'exception' in error ? error.exception : error;
    throw new InvalidInputError(`${part}: not a readable DICOM file (${describeError(cause)})`);
  }
}

/** Copies the pixel data out of the file buffer (aligned, and byte-swapped when stored big endian). */
function readPixels(
  data: dicomParser.DataSet,
  part: string,
  count: number,
  bitsAllocated: number,
  signed: boolean,
  bigEndian: boolean,
): DicomPixels {
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new InvalidInputError(`${part}: BitsAllocated (0028,0100) = ${bitsAllocated}; only 8 or 16 are supported`);
  }
  const element = data.elements['x7fe00010'];
  if (!element) {
    throw new InvalidInputError(`${part}: missing tag PixelData (7FE0,0010)`);
  }
  const bytesPer = bitsAllocated / 8;
  if (element.encapsulatedPixelData || element.length < count * bytesPer) {
    throw new InvalidInputError(
      `${part}: PixelData (7FE0,0010) holds ${element.length} bytes, expected ${count * bytesPer} for ` +
        `Rows × Columns = ${count} voxels of ${bitsAllocated} bits`,
    );
  }
  const raw = data.byteArray.subarray(element.dataOffset, element.dataOffset + count * bytesPer);
  if (bytesPer === 1) {
    return signed ? new Int8Array(Uint8Array.from(raw).buffer) : Uint8Array.from(raw);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = signed ? new Int16Array(count) : new Uint16Array(count);
  for (let n = 0; n < count; n++) {
    out[n] = signed ? view.getInt16(n * 2, !bigEndian) : view.getUint16(n * 2, !bigEndian);
  }
  return out;
}

/** Reads required tags, naming the part and the tag when one is missing or malformed. */
class TagReader {
  constructor(
    private readonly data: dicomParser.DataSet,
    private readonly part: string,
  ) {}

  uint16(tag: string, name: string): number {
    return this.#require(tag, name, this.data.uint16(tag));
  }

  string(tag: string, name: string): string {
    return this.#require(tag, name, this.data.string(tag) || undefined);
  }

  /** A DS element of exactly `count` finite values. */
  decimals<T extends readonly number[]>(tag: string, name: string, count: T['length']): T {
    this.#require(tag, name, this.data.elements[tag]);
    // Count first: dicom-parser's floatString throws on an index past the last value.
    const got = this.data.numStringValues(tag);
    const values = got === count ? Array.from({ length: count }, (_, n) => this.data.floatString(tag, n)) : [];
    if (got !== count || values.some((v) => v === undefined || !Number.isFinite(v))) {
      throw new InvalidInputError(
        `${this.part}: ${name} (${label(tag)}) = '${this.data.string(tag) ?? ''}'; expected ${count} numbers`,
      );
    }
    return values as unknown as T;
  }

  #require<T>(tag: string, name: string, value: T | undefined): T {
    if (value === undefined) {
      throw new InvalidInputError(`${this.part}: missing tag ${name} (${label(tag)})`);
    }
    return value;
  }
}

/** `x00280010` → `0028,0010`. */
function label(tag: string): string {
  return `${tag.slice(1, 5)},${tag.slice(5)}`.toUpperCase();
}
