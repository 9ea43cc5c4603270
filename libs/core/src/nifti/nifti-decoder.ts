import { InvalidNiftiError, TooLargeError } from '../errors';
import { type VoxelArray, type VoxelDType, allocateVoxels, bytesPerVoxel, castVoxels } from '../image/dtype';
import type { Mat4 } from '../image/affine';
import { MedicalImage } from '../image/medical-image';
import { checkedAffineFromHeader } from './nifti-affine';
import { dtypeFromNiftiCode } from './nifti-datatype';
import type { NiftiHeader } from '../image/nifti-header';
import { readNiftiHeader, sniffNiftiHeader } from './read-nifti-header';

/** Options shared by {@link decodeNifti} and {@link readNifti}. */
export interface ReadNiftiOptions {
  /** Largest voxel payload accepted, in bytes (default 2 GiB); a header asking for more fails before allocating. */
  maxBytes?: number;
  /**
   * `'float32'` converts the voxels to float32. Otherwise the file's own datatype is kept, except that a scaling
   * (`scl_slope` neither 0 nor 1, or `scl_inter` ≠ 0) yields float32 (float64 for float64 files).
   */
  dtype?: 'float32';
  /** Stops the read; the promise then rejects with CancelledError. */
  signal?: AbortSignal;
}

/** Default {@link ReadNiftiOptions.maxBytes}: 2 GiB. */
export const DEFAULT_MAX_NIFTI_BYTES = 2 * 1024 ** 3;

/** The voxel layout a header promises. */
/**
 * Most bytes of NIfTI extensions (between the header and `vox_offset`) a file may carry: DICOM or JSON metadata of
 * converters runs to tens or hundreds of KiB.
 */
export const MAX_EXTENSION_BYTES = 16 * 1024 * 1024;

interface Plan {
  header: NiftiHeader;
  /** Voxel → RAS+ mm, checked before any voxel is read. */
  affine: Mat4;
  dtype: VoxelDType;
  count: number;
  bytes: number;
  shape: number[];
}

/**
 * Decodes a NIfTI byte stream pushed in chunks of any size: the header bytes are gathered, checked, then the voxels
 * are copied straight into one typed array allocated from the header's dims, so the voxels are held once. Bytes past
 * the voxels the header promises are rejected (a gzip bomb stops there); a stream ending early is a truncated file.
 */
export class NiftiDecoder {
  readonly #source: string;
  readonly #maxBytes: number;
  readonly #options: ReadNiftiOptions;
  readonly #fileBytes: number | undefined;
  #head = new Uint8Array(4);
  #headLength = 0;
  #headerParsed = false;
  #plan: Plan | undefined;
  #voxels: VoxelArray | undefined;
  #target: Uint8Array | undefined;
  #filled = 0;
  #seen = 0;

  /** @param fileBytes - the file's size when known (plain files): lets truncation fail before allocating. */
  constructor(source: string, options: ReadNiftiOptions = {}, fileBytes?: number) {
    this.#source = source;
    this.#fileBytes = fileBytes;
    this.#options = options;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_NIFTI_BYTES;
  }

  /** True once the header is parsed and voxels are expected. */
  get wantsVoxels(): boolean {
    return this.#target !== undefined && this.#filled < this.#target.length;
  }

  /** Header (and extension) bytes still missing before the voxels; 0 once the voxel array exists. */
  get headerBytesWanted(): number {
    return this.#target ? 0 : this.#head.length - this.#headLength;
  }

  /** Offset in the file of the next voxel byte expected. */
  get fileOffset(): number {
    return this.#seen;
  }

  /** The unfilled part of the voxel array, to read into directly; call {@link advance} with the bytes written. */
  voxelWindow(): Uint8Array {
    if (!this.#target) {
      throw new RangeError('the header has not been read yet');
    }
    return this.#target.subarray(this.#filled);
  }

  /** Records `n` bytes written into {@link voxelWindow}. */
  advance(n: number): void {
    this.#filled += n;
    this.#seen += n;
  }

  /** Feeds the next bytes of the file. @throws InvalidNiftiError / TooLargeError as soon as the bytes are wrong. */
  push(chunk: Uint8Array): void {
    let rest = chunk;
    while (rest.length > 0 && !this.#target) {
      const take = Math.min(rest.length, this.#head.length - this.#headLength);
      this.#head.set(rest.subarray(0, take), this.#headLength);
      this.#headLength += take;
      this.#seen += take;
      rest = rest.subarray(take);
      if (this.#headLength === this.#head.length) {
        this.#onHead();
      }
    }
    if (rest.length === 0) {
      return;
    }
    const target = this.#target as Uint8Array;
    const room = target.length - this.#filled;
    if (rest.length > room) {
      const plan = this.#plan as Plan;
      throw new InvalidNiftiError(
        this.#source,
        'dim',
        `the data run past the ${plan.header.voxOffset + plan.bytes} bytes that vox_offset and dim[1..${plan.header.dims[0]}] = ${plan.shape.join('×')} promise`,
        'too-large',
      );
    }
    target.set(rest, this.#filled);
    this.#filled += rest.length;
    this.#seen += rest.length;
  }

  /** The image, once every voxel arrived. @throws InvalidNiftiError when the stream ended early. */
  finish(): MedicalImage {
    if (!this.#plan || !this.#target || !this.#voxels) {
      const got = this.#head.subarray(0, this.#headLength);
      if (!this.#headerParsed) {
        sniffNiftiHeader(got, this.#source);
        throw new InvalidNiftiError(
          this.#source,
          'header',
          `truncated: ${got.length} of ${this.#head.length} header bytes`,
        );
      }
      throw new InvalidNiftiError(
        this.#source,
        'vox_offset',
        `${this.#head.length} is past the end of the data (${this.#headLength} bytes)`,
      );
    }
    const plan = this.#plan;
    if (this.#filled < this.#target.length) {
      throw new InvalidNiftiError(
        this.#source,
        'voxels',
        `truncated: ${this.#filled} of the ${plan.bytes} voxel bytes that dim[1..${plan.header.dims[0]}] = ${plan.shape.join('×')} ${plan.dtype} needs`,
      );
    }
    return buildImage(plan, this.#voxels, this.#options, this.#source);
  }

  #onHead(): void {
    if (this.#headLength === 4) {
      this.#grow(sniffNiftiHeader(this.#head, this.#source).headerBytes);
      return;
    }
    const header = readNiftiHeader(this.#head, this.#source);
    const plan = planVoxels(header, this.#source, this.#maxBytes, this.#options);
    if (!this.#headerParsed) {
      // Everything the header promises is checked once, before reading extensions or allocating anything.
      this.#headerParsed = true;
      this.#checkFileHolds(header.voxOffset, 'vox_offset', `${header.voxOffset} is past the end of the file`);
      this.#checkFileHolds(
        header.voxOffset + plan.bytes,
        'voxels',
        `truncated: dim[1..${header.dims[0]}] = ${plan.shape.join('×')} ${plan.dtype} needs ${plan.bytes} bytes from offset ${header.voxOffset}`,
      );
    }
    if (this.#headLength < header.voxOffset) {
      // Extensions sit between the header and the voxels: read into memory and kept on the image's header, so they
      // are bounded on their own (a header may place the voxels 2 GiB further on).
      const extensionBytes = header.voxOffset - this.#headLength;
      const limit = Math.min(this.#maxBytes, MAX_EXTENSION_BYTES);
      if (extensionBytes > limit) {
        throw new TooLargeError(
          `${this.#source}: vox_offset = ${header.voxOffset} leaves ${extensionBytes} bytes of extensions, over the ${limit}-byte limit of NIfTI extensions`,
        );
      }
      this.#grow(header.voxOffset);
      return;
    }
    this.#plan = plan;
    this.#voxels = allocateVoxels(plan.dtype, plan.count);
    this.#target = new Uint8Array(this.#voxels.buffer, this.#voxels.byteOffset, plan.bytes);
  }

  #grow(size: number): void {
    const head = new Uint8Array(size);
    head.set(this.#head.subarray(0, this.#headLength));
    this.#head = head;
  }

  #checkFileHolds(end: number, field: string, detail: string): void {
    if (this.#fileBytes !== undefined && end > this.#fileBytes) {
      throw new InvalidNiftiError(this.#source, field, `${detail} (${this.#fileBytes} bytes)`);
    }
  }
}

/**
 * The bytes a file with this header holds up to its last voxel (`vox_offset` + voxels).
 * @throws TooLargeError when the voxels exceed `maxBytes` (default 2 GiB).
 */
export function promisedNiftiBytes(header: NiftiHeader, source: string, options: ReadNiftiOptions = {}): number {
  return header.voxOffset + planVoxels(header, source, options.maxBytes ?? DEFAULT_MAX_NIFTI_BYTES, options).bytes;
}

/** Shape, datatype and byte count of the voxels; rejects a payload over `maxBytes` before anything is allocated. */
function planVoxels(header: NiftiHeader, source: string, maxBytes: number, options: ReadNiftiOptions): Plan {
  const rank = header.dims[0] as number;
  const dim = (i: number): number => (i <= rank ? (header.dims[i] as number) : 1);
  const [nx, ny, nz] = [dim(1), dim(2), dim(3)];
  let nt = 1;
  for (let i = 4; i <= rank; i++) {
    nt *= dim(i);
  }
  const dtype = dtypeFromNiftiCode(header.datatypeCode, source);
  const count = nx * ny * nz * nt;
  const bytes = count * bytesPerVoxel(dtype);
  // A scaled or converted image needs a second array of 4 (or 8) bytes per voxel as well.
  const outBytes = scalingOf(header) || options.dtype ? count * Math.max(4, bytesPerVoxel(dtype)) : 0;
  if (bytes > maxBytes || outBytes > maxBytes) {
    const sizes = header.dims.slice(1, rank + 1).join('×');
    const needs = Math.max(bytes, outBytes);
    throw new TooLargeError(
      `${source}: dim[1..${rank}] = ${sizes} ${dtype} needs ${needs} bytes${human(needs)}, over the ${maxBytes}-byte limit${human(maxBytes)}`,
    );
  }
  // Voxels stay in file order (x fastest), which is row-major [t, z, y, x]: DHW, or CDHW when dim[4..] > 1.
  const shape = nt > 1 ? [nt, nz, ny, nx] : [nz, ny, nx];
  return { header, affine: checkedAffineFromHeader(header, source), dtype, count, bytes, shape };
}

/** " (2 GiB)", " (48 MiB)" or "" for small sizes, after a byte count in a message. */
function human(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
  ] as const) {
    if (bytes >= size) {
      const value = bytes / size;
      return ` (${value >= 100 ? Math.round(value) : +value.toPrecision(3)} ${unit})`;
    }
  }
  return '';
}

/** [slope, intercept] when the header asks for scaling, else undefined (slope 0 or NaN means none, as the standard says). */
function scalingOf(header: NiftiHeader): [number, number] | undefined {
  const slope = header.sclSlope;
  const inter = Number.isFinite(header.sclInter) ? header.sclInter : 0;
  if (!Number.isFinite(slope) || slope === 0 || (slope === 1 && inter === 0)) {
    return undefined;
  }
  return [slope, inter];
}

function buildImage(plan: Plan, raw: VoxelArray, options: ReadNiftiOptions, source: string): MedicalImage {
  const { header } = plan;
  if (!header.littleEndian) {
    swapBytes(new Uint8Array(raw.buffer, raw.byteOffset, plan.bytes), bytesPerVoxel(plan.dtype));
  }
  let voxels: VoxelArray = raw;
  const scaling = scalingOf(header);
  if (scaling) {
    const [slope, inter] = scaling;
    const out = allocateVoxels(plan.dtype === 'float64' ? 'float64' : 'float32', plan.count);
    for (let i = 0; i < out.length; i++) {
      out[i] = (raw[i] as number) * slope + inter;
    }
    voxels = out;
  }
  if (options.dtype === 'float32') {
    voxels = castVoxels(voxels, 'float32');
  }
  return new MedicalImage({
    voxels,
    shape: plan.shape,
    shapeFormat: plan.shape.length === 4 ? 'CDHW' : 'DHW',
    affine: plan.affine,
    header,
    source,
  });
}

/** Reverses the byte order of each `width`-byte element in place (2, 4 and 8 unrolled: this runs over every voxel). */
function swapBytes(bytes: Uint8Array, width: number): void {
  const n = bytes.length - (bytes.length % width);
  let t = 0;
  if (width === 2) {
    for (let i = 0; i < n; i += 2) {
      t = bytes[i] as number;
      bytes[i] = bytes[i + 1] as number;
      bytes[i + 1] = t;
    }
  } else if (width === 4) {
    for (let i = 0; i < n; i += 4) {
      t = bytes[i] as number;
      bytes[i] = bytes[i + 3] as number;
      bytes[i + 3] = t;
      t = bytes[i + 1] as number;
      bytes[i + 1] = bytes[i + 2] as number;
      bytes[i + 2] = t;
    }
  } else if (width === 8) {
    for (let i = 0; i < n; i += 8) {
      for (let lo = i, hi = i + 7; lo < hi; lo++, hi--) {
        t = bytes[lo] as number;
        bytes[lo] = bytes[hi] as number;
        bytes[hi] = t;
      }
    }
  }
}
