// Test helpers for the AIAA client API e2e specs: requests shaped byte-for-byte like the official clients',
// an independent multipart reply parser, and a minimal NIfTI-1 writer/reader for hand-computed expectations.
import * as http from 'node:http';
import { gunzipSync } from 'node:zlib';

/** The boundary the official Python client uses (py_client/client_api.py). */
export const PY_BOUNDARY = '----------lImIt_of_THE_fIle_eW_$';

export interface FilePart {
  readonly field: string;
  readonly filename: string;
  readonly content: Buffer;
  readonly contentType?: string;
}

/** A multipart body as the Python client encodes it: text fields first, then files with `filename="<path>"`. */
export function pyMultipart(fields: Record<string, string>, files: FilePart[], boundary = PY_BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n\r\n`));
  return Buffer.concat(chunks);
}

export interface RawReply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** How {@link request} connects: a keep-alive agent, and a time after which the request is aborted. */
export interface RequestOptions {
  readonly agent?: http.Agent;
  readonly timeoutMs?: number;
}

/** One HTTP request with exactly the given headers and body (no chunking: Content-Length is set). */
export function request(
  method: string,
  url: string,
  body?: Buffer,
  headers: Record<string, string> = {},
  options: RequestOptions = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      agent: options.agent,
      signal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
      headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POST/PUT of a Python-client multipart body (with `headers` besides its Content-Type). */
export function sendPyMultipart(
  method: string,
  url: string,
  fields: Record<string, string>,
  files: FilePart[],
  headers: Record<string, string> = {},
): Promise<RawReply> {
  return request(method, url, pyMultipart(fields, files), {
    ...headers,
    'Content-Type': `multipart/form-data; boundary=${PY_BOUNDARY}`,
  });
}

export interface ParsedPart {
  readonly headers: Record<string, string>;
  readonly name: string | undefined;
  readonly filename: string | undefined;
  readonly body: Buffer;
}

/** Splits a `multipart/form-data` reply as RFC 7578 says, independently of the server's writer. */
export function parseMultipartReply(reply: RawReply): ParsedPart[] {
  const contentType = reply.headers['content-type'] ?? '';
  const match = /boundary=("?)([^";]+)\1/.exec(contentType);
  if (!match?.[2]) {
    throw new Error(`not a multipart reply: Content-Type '${contentType}'`);
  }
  const delimiter = Buffer.from(`--${match[2]}`);
  const parts: ParsedPart[] = [];
  let start = reply.body.indexOf(delimiter);
  for (let guard = 0; start >= 0 && guard < 100; guard++) {
    const afterDelimiter = start + delimiter.length;
    if (reply.body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') {
      break;
    }
    const next = reply.body.indexOf(delimiter, afterDelimiter);
    if (next < 0) {
      throw new Error('multipart reply is not closed');
    }
    // The part is between the CRLF after the delimiter and the CRLF before the next one.
    const part = reply.body.subarray(afterDelimiter + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of part.subarray(0, split).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const disposition = headers['content-disposition'] ?? '';
    parts.push({
      headers,
      name: /\bname="([^"]*)"/.exec(disposition)?.[1],
      filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
      body: part.subarray(split + 4),
    });
    start = next;
  }
  return parts;
}

/** NIfTI-1 datatype codes used by the tests. */
export const DT_UINT8 = 2;
export const DT_INT16 = 4;
export const DT_FLOAT32 = 16;

export interface TestVolume {
  /** [i, j, k] sizes. */
  readonly dims: [number, number, number];
  readonly datatype: number;
  /** x fastest. */
  readonly voxels: Uint8Array | Int16Array | Float32Array;
  /** Voxel sizes in mm; the sform is diag(spacing) with `origin`. */
  readonly spacing?: [number, number, number];
  readonly origin?: [number, number, number];
}

/** A single-file NIfTI-1 (`n+1`, little endian, 352-byte offset) with an sform, written by hand from the standard. */
export function writeTestNifti(volume: TestVolume): Buffer {
  const [sx, sy, sz] = volume.spacing ?? [1, 1, 1];
  const [ox, oy, oz] = volume.origin ?? [0, 0, 0];
  const bitpix = volume.datatype === DT_UINT8 ? 8 : volume.datatype === DT_INT16 ? 16 : 32;
  const header = Buffer.alloc(352);
  header.writeInt32LE(348, 0);
  const dims = [3, ...volume.dims, 1, 1, 1, 1];
  dims.forEach((d, i) => header.writeInt16LE(d, 40 + 2 * i));
  header.writeInt16LE(volume.datatype, 70);
  header.writeInt16LE(bitpix, 72);
  [1, sx, sy, sz, 0, 0, 0, 0].forEach((p, i) => header.writeFloatLE(p, 76 + 4 * i));
  header.writeFloatLE(352, 108);
  header.writeFloatLE(1, 112); // scl_slope
  header.writeUInt8(2 | 8, 123); // xyzt_units: mm, s
  header.writeInt16LE(0, 252); // qform_code
  header.writeInt16LE(1, 254); // sform_code
  [sx, 0, 0, ox].forEach((v, i) => header.writeFloatLE(v, 280 + 4 * i));
  [0, sy, 0, oy].forEach((v, i) => header.writeFloatLE(v, 296 + 4 * i));
  [0, 0, sz, oz].forEach((v, i) => header.writeFloatLE(v, 312 + 4 * i));
  header.write('n+1\0', 344, 'latin1');
  const data = Buffer.from(volume.voxels.buffer, volume.voxels.byteOffset, volume.voxels.byteLength);
  return Buffer.concat([header, data]);
}

/** Reads dims, datatype and voxels of a little-endian single-file NIfTI-1 (gzipped or not), by the standard. */
export function readTestNifti(file: Buffer): { dims: number[]; datatype: number; voxels: number[]; srow: number[][] } {
  const bytes = file[0] === 0x1f && file[1] === 0x8b ? gunzipSync(file) : file;
  if (bytes.readInt32LE(0) !== 348) {
    throw new Error(`not a little-endian NIfTI-1 file (sizeof_hdr ${bytes.readInt32LE(0)})`);
  }
  const rank = bytes.readInt16LE(40);
  const dims = Array.from({ length: rank }, (_, i) => bytes.readInt16LE(42 + 2 * i));
  const datatype = bytes.readInt16LE(70);
  const offset = Math.round(bytes.readFloatLE(108));
  const count = dims.reduce((a, b) => a * b, 1);
  const voxels: number[] = [];
  for (let n = 0; n < count; n++) {
    switch (datatype) {
      case DT_UINT8:
        voxels.push(bytes.readUInt8(offset + n));
        break;
      case DT_INT16:
        voxels.push(bytes.readInt16LE(offset + 2 * n));
        break;
      case DT_FLOAT32:
        voxels.push(bytes.readFloatLE(offset + 4 * n));
        break;
      default:
        throw new Error(`datatype ${datatype} not handled by the test reader`);
    }
  }
  const srow = [280, 296, 312].map((at) => [0, 1, 2, 3].map((i) => bytes.readFloatLE(at + 4 * i)));
  return { dims, datatype, voxels, srow };
}

/** The `message` of an error reply (`{statusCode, error, message, kind}`). */
export function errorMessage(reply: RawReply): string {
  const body = JSON.parse(reply.body.toString('utf8')) as { message?: unknown };
  return String(body.message);
}
