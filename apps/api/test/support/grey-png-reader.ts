import { crc32, inflateSync } from 'node:zlib';

/** An 8-bit grey image: `pixels[y * width + x]`. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The Paeth predictor of the PNG spec (§9.4). */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes an 8-bit greyscale, non-interlaced PNG by the spec, independently of the server's encoder: chunks checked
 * against their CRC-32, IDAT inflated, each row unfiltered (None, Sub, Up, Average, Paeth; one byte per pixel).
 * @throws Error for anything else (colour, other depths, interlace, a bad CRC).
 */
export function readGreyPng(png: Buffer): GreyImage {
  if (!SIGNATURE.every((byte, i) => png[i] === byte)) {
    throw new Error('not a PNG: bad signature');
  }
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at + 12 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (png.readUInt32BE(at + 8 + length) !== crc32(png.subarray(at + 4, at + 8 + length))) {
      throw new Error(`PNG chunk ${type} at byte ${at}: bad CRC`);
    }
    if (type === 'IHDR') {
      [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
      if (data[8] !== 8 || data[9] !== 0 || data[12] !== 0) {
        throw new Error(`PNG: expected 8-bit grey, not interlaced; got depth ${data[8]}, colour type ${data[9]}`);
      }
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== (width + 1) * height) {
    throw new Error(`PNG: ${raw.length} bytes of rows, expected ${(width + 1) * height}`);
  }
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)] as number;
    const line = raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1));
    for (let x = 0; x < width; x++) {
      const left = x > 0 ? (pixels[y * width + x - 1] as number) : 0;
      const up = y > 0 ? (pixels[(y - 1) * width + x] as number) : 0;
      const upLeft = x > 0 && y > 0 ? (pixels[(y - 1) * width + x - 1] as number) : 0;
      const predictors = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)];
      const predicted = predictors[filter];
      if (predicted === undefined) {
        throw new Error(`PNG row ${y}: unknown filter type ${filter}`);
      }
      pixels[y * width + x] = ((line[x] as number) + predicted) & 0xff;
    }
  }
  return { width, height, pixels };
}
