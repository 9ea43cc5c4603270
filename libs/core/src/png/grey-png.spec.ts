import * as zlib from 'node:zlib';
import { InvalidInputError } from '../errors';
import { crc32, encodeGreyPng, isPng, readPngSize } from './grey-png';

/** The chunks of a PNG, split by the layout of PNG spec §5.3 (length, type, data, CRC). */
function chunks(png: Buffer): { type: string; data: Buffer; crc: number }[] {
  const out: { type: string; data: Buffer; crc: number }[] = [];
  for (let at = 8; at < png.length && out.length < 100;) {
    const length = png.readUInt32BE(at);
    out.push({
      type: png.toString('latin1', at + 4, at + 8),
      data: png.subarray(at + 8, at + 8 + length),
      crc: png.readUInt32BE(at + 8 + length),
    });
    at += 12 + length;
  }
  return out;
}

describe('crc32', () => {
  it('gives the check value of the CRC-32 catalogue for "123456789"', () => {
    expect(crc32(Buffer.from('123456789', 'latin1'))).toBe(0xcbf43926);
  });

  it('agrees with zlib on arbitrary bytes', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 0xff);
    expect(crc32(bytes)).toBe(zlib.crc32(bytes));
  });
});

describe('encodeGreyPng', () => {
  const pixels = Uint8Array.from([0, 1, 0, 255, 1, 7]); // 3 wide, 2 high

  it('writes the signature, IHDR (3×2, 8-bit grey), IDAT and IEND with correct CRCs', () => {
    const png = encodeGreyPng(pixels, 3, 2);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const parts = chunks(png);
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    for (const c of parts) {
      expect(c.crc).toBe(zlib.crc32(Buffer.concat([Buffer.from(c.type, 'latin1'), c.data])));
    }
    const ihdr = parts[0]?.data as Buffer;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ...ihdr.subarray(8)]).toEqual([3, 2, 8, 0, 0, 0, 0]);
  });

  it('stores each row after a filter byte 0, deflated', () => {
    const idat = chunks(encodeGreyPng(pixels, 3, 2))[1]?.data as Buffer;
    expect([...zlib.inflateSync(idat)]).toEqual([0, 0, 1, 0, 0, 255, 1, 7]);
  });

  it('refuses pixels that do not fill width × height', () => {
    expect(() => encodeGreyPng(pixels, 2, 2)).toThrow(RangeError);
  });
});

describe('readPngSize', () => {
  it('reads width and height from the IHDR of an encoded PNG', () => {
    const png = encodeGreyPng(new Uint8Array(5 * 4), 5, 4);
    expect(isPng(png)).toBe(true);
    expect(readPngSize(png.subarray(0, 24), 'mask.png')).toEqual({ width: 5, height: 4 });
  });

  it('refuses bytes that are not a PNG, naming the file', () => {
    const notPng = Buffer.from('this is not a png file at all');
    expect(isPng(notPng)).toBe(false);
    expect(() => readPngSize(notPng, 'slice.png')).toThrow(InvalidInputError);
    expect(() => readPngSize(notPng, 'slice.png')).toThrow(/slice\.png/);
  });
});
