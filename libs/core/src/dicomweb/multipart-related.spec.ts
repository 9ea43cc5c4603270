import { MultipartSyntaxError, boundaryOf, parseContentType, readMultipartParts } from './multipart-related';

const BOUNDARY = 'b0undary-42';
/** A body written by hand from RFC 2046 §5.1.1: preamble, three parts (one without headers), epilogue. */
const BODY = Buffer.from(
  'this is the preamble\r\n' +
    `--${BOUNDARY}\r\n` +
    'Content-Type: application/dicom\r\n' +
    'X-Index: 1\r\n' +
    '\r\n' +
    'first\r\n--not-the-boundary\r\nstill first' +
    `\r\n--${BOUNDARY}  \r\n` +
    '\r\n' +
    'second (no headers)' +
    `\r\n--${BOUNDARY}\r\n` +
    'Content-Type: application/dicom\r\n' +
    '\r\n' +
    '' +
    `\r\n--${BOUNDARY}--\r\n` +
    'epilogue',
  'latin1',
);
const EXPECTED = [
  {
    headers: { 'content-type': 'application/dicom', 'x-index': '1' },
    body: 'first\r\n--not-the-boundary\r\nstill first',
  },
  { headers: {}, body: 'second (no headers)' },
  { headers: { 'content-type': 'application/dicom' }, body: '' },
];

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    yield bytes.subarray(at, at + size);
  }
}

async function readAll(chunks: AsyncIterable<Uint8Array>, boundary = BOUNDARY) {
  const parts = [];
  for await (const part of readMultipartParts(chunks, boundary)) {
    parts.push({ headers: part.headers, body: Buffer.from(part.body).toString('latin1') });
  }
  return parts;
}

describe('readMultipartParts', () => {
  it('reads the parts whatever the chunk size (the delimiter split across chunks)', async () => {
    for (const size of [1, 2, 3, 5, 7, 13, 64, BODY.length]) {
      expect(await readAll(chunksOf(BODY, size))).toEqual(EXPECTED);
    }
  });

  it('reads a body that opens with the delimiter (no preamble, no leading CRLF)', async () => {
    const body = Buffer.from(`--${BOUNDARY}\r\n\r\nonly\r\n--${BOUNDARY}--`, 'latin1');
    expect(await readAll(chunksOf(body, 4))).toEqual([{ headers: {}, body: 'only' }]);
  });

  it('hands out each part as soon as the delimiter after it arrives, before the rest of the body', async () => {
    const events: string[] = [];
    async function* slow(): AsyncGenerator<Uint8Array> {
      const cut = BODY.indexOf(`\r\n--${BOUNDARY}  `) + 4 + BOUNDARY.length;
      events.push('chunk 1');
      yield BODY.subarray(0, cut);
      events.push('chunk 2');
      yield BODY.subarray(cut);
    }
    for await (const part of readMultipartParts(slow(), BOUNDARY)) {
      events.push(`part ${part.headers['x-index'] ?? '-'}`);
    }
    expect(events).toEqual(['chunk 1', 'part 1', 'chunk 2', 'part -', 'part -']);
  });

  describe('refuses', () => {
    it('a body cut before its closing delimiter, saying how many parts arrived', async () => {
      const cut = BODY.subarray(0, BODY.indexOf(`\r\n--${BOUNDARY}--`));
      await expect(readAll(chunksOf(cut, 10))).rejects.toThrow(
        new MultipartSyntaxError(`the body ended after 2 parts without its closing boundary '--${BOUNDARY}--'`),
      );
    });

    it('headers longer than 16 KiB', async () => {
      const body = Buffer.from(`--${BOUNDARY}\r\nX-Long: ${'a'.repeat(20_000)}`, 'latin1');
      await expect(readAll(chunksOf(body, 1000))).rejects.toThrow('part 1: headers longer than 16384 bytes');
    });

    it('a malformed header line', async () => {
      const body = Buffer.from(`--${BOUNDARY}\r\nno colon here\r\n\r\nx\r\n--${BOUNDARY}--`, 'latin1');
      await expect(readAll(chunksOf(body, 1000))).rejects.toThrow("part 1: malformed header line 'no colon here'");
    });
  });
});

describe('Content-Type parameters', () => {
  it('reads quoted and bare parameters, case-insensitive names', () => {
    const type = 'Multipart/Related; type="application/dicom"; Boundary="a;b=c"; transfer-syntax=1.2.840.10008.1.2.1';
    expect(parseContentType(type)).toEqual({
      mediaType: 'multipart/related',
      parameters: { type: 'application/dicom', boundary: 'a;b=c', 'transfer-syntax': '1.2.840.10008.1.2.1' },
    });
    expect(boundaryOf('multipart/related; boundary=abc')).toBe('abc');
    expect(boundaryOf('application/dicom')).toBeUndefined();
  });
});
