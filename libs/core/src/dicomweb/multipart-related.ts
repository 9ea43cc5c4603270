// A streaming reader of multipart bodies (RFC 2046 §5.1, as WADO-RS sends `multipart/related`): parts are handed
// out one at a time as their closing delimiter arrives, so at most one part plus one network chunk is held.

/** One body part: its headers (names lower-cased) and its bytes. */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** Largest header block of one part; anything longer is not a DICOMweb reply. */
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** A malformed multipart body; `detail` says what and at which part. */
export class MultipartSyntaxError extends Error {}

/**
 * The `boundary` parameter of a `multipart/*` Content-Type (quoted or not), or undefined when there is none.
 */
export function boundaryOf(contentType: string): string | undefined {
  return contentTypeParameters(contentType).boundary;
}

/** The media type (lower-cased, without parameters) and parameters (names lower-cased) of a Content-Type. */
export function parseContentType(contentType: string): { mediaType: string; parameters: Record<string, string> } {
  const [mediaType = ''] = contentType.split(';', 1);
  return { mediaType: mediaType.trim().toLowerCase(), parameters: contentTypeParameters(contentType) };
}

function contentTypeParameters(contentType: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  // name=value or name="quoted; value"; the media type before the first ';' is skipped.
  const pattern = /;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const match of contentType.matchAll(pattern)) {
    const name = (match[1] as string).toLowerCase();
    const raw = (match[2] as string).trim();
    parameters[name] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return parameters;
}

/**
 * Yields the parts of a multipart body read from `chunks`, each as soon as the delimiter after it has arrived.
 * The preamble and epilogue are skipped.
 *
 * @throws MultipartSyntaxError when the body ends before its closing delimiter, a part's headers run past 16 KiB or
 *   are malformed.
 */
export async function* readMultipartParts(
  chunks: AsyncIterable<Uint8Array>,
  boundary: string,
): AsyncGenerator<MultipartPart> {
  // Every delimiter is CRLF "--" boundary; the first may open the body without the CRLF, so one is put in front.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pending = new PendingBytes(CRLF);
  let state: 'preamble' | 'after-delimiter' | 'headers' | 'body' = 'preamble';
  let headers: Record<string, string> = {};
  let searchFrom = 0;
  let parts = 0;

  for await (const chunk of chunks) {
    pending.append(chunk);
    for (;;) {
      const bytes = pending.view();
      if (state === 'preamble' || state === 'body') {
        const at = bytes.indexOf(delimiter, searchFrom);
        if (at < 0) {
          // The delimiter may straddle this chunk and the next: search again from where a match could start.
          searchFrom = Math.max(0, bytes.length - delimiter.length + 1);
          break;
        }
        if (state === 'body') {
          parts++;
          const { part, rest } = pending.split(at, at + delimiter.length);
          pending = rest;
          yield { headers, body: part };
        } else {
          pending.consume(at + delimiter.length);
        }
        searchFrom = 0;
        state = 'after-delimiter';
        continue;
      }
      if (state === 'after-delimiter') {
        if (bytes.length < 2) {
          break;
        }
        if (bytes[0] === 0x2d && bytes[1] === 0x2d) {
          return; // "--": the closing delimiter; the epilogue is ignored.
        }
        // The rest of the delimiter line (transport padding, then CRLF) is read with the headers.
        state = 'headers';
        continue;
      }
      // state === 'headers': from the delimiter line's end through the blank line that ends the headers.
      const end = bytes.indexOf(HEADERS_END);
      if (end < 0) {
        if (bytes.length > MAX_HEADER_BYTES) {
          throw new MultipartSyntaxError(`part ${parts + 1}: headers longer than ${MAX_HEADER_BYTES} bytes`);
        }
        break;
      }
      headers = parseHeaders(bytes.subarray(0, end), parts + 1);
      pending.consume(end + HEADERS_END.length);
      searchFrom = 0;
      state = 'body';
    }
  }
  throw new MultipartSyntaxError(
    `the body ended after ${parts} part${parts === 1 ? '' : 's'} without its closing boundary '--${boundary}--'`,
  );
}

/** Header lines after the delimiter line (whose remainder, transport padding, is the first line). */
function parseHeaders(block: Buffer, partNumber: number): Record<string, string> {
  const lines = block.toString('latin1').split('\r\n');
  const padding = lines.shift() ?? '';
  if (padding.trim() !== '') {
    throw new MultipartSyntaxError(`part ${partNumber}: unexpected '${padding.slice(0, 40)}' after the boundary`);
  }
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new MultipartSyntaxError(`part ${partNumber}: malformed header line '${line.slice(0, 80)}'`);
    }
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * The bytes received and not yet handed out, in one growable buffer. A finished part is handed out as a view of
 * that buffer (no copy) and the remainder moves to a fresh buffer sized like the part, ready for the next one.
 */
class PendingBytes {
  #buffer: Buffer;
  #start = 0;
  #end = 0;

  constructor(initial: Uint8Array, capacity = 64 * 1024) {
    this.#buffer = Buffer.allocUnsafe(Math.max(capacity, initial.length));
    this.append(initial);
  }

  view(): Buffer {
    return this.#buffer.subarray(this.#start, this.#end);
  }

  append(chunk: Uint8Array): void {
    if (this.#end + chunk.length > this.#buffer.length) {
      const length = this.#end - this.#start;
      const grown = Buffer.allocUnsafe(Math.max(2 * this.#buffer.length, length + chunk.length));
      this.#buffer.copy(grown, 0, this.#start, this.#end);
      this.#buffer = grown;
      this.#start = 0;
      this.#end = length;
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  consume(count: number): void {
    this.#start += count;
  }

  /** Bytes [0, partEnd) as the finished part, and the bytes after `restFrom` in a new buffer. */
  split(partEnd: number, restFrom: number): { part: Uint8Array; rest: PendingBytes } {
    const part = this.#buffer.subarray(this.#start, this.#start + partEnd);
    const rest = new PendingBytes(this.#buffer.subarray(this.#start + restFrom, this.#end), partEnd + 4096);
    return { part, rest };
  }
}
