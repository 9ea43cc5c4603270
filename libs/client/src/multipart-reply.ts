/** An AIAA multipart reply, read: the JSON of its `params` part and the bytes of its `image` part. */
export interface MultipartReply<P> {
  /** The `params` part, parsed as JSON. */
  readonly params: P;
  /** The `image` part's bytes: a view into the reply body, not a copy. */
  readonly image: Buffer;
  /** The file name the `image` part carries (`result.nii.gz`, `result.png`). */
  readonly filename: string;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * Splits an AIAA multipart reply (`multipart/form-data`: a `params` text part with JSON, an `image` file part) as
 * RFC 7578 reads it. `contentType` is the reply's `Content-Type`, which names the boundary.
 * @throws Error saying what is missing: the boundary, the closing delimiter, the `params` or `image` part, or JSON.
 */
export function parseMultipartReply<P = Record<string, unknown>>(
  body: ArrayBuffer | Uint8Array,
  contentType: string | null,
): MultipartReply<P> {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  if (!/^multipart\/form-data/i.test(contentType ?? '') || !boundary) {
    throw new Error(`multipart reply: expected multipart/form-data with a boundary, got '${contentType ?? 'none'}'`);
  }
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2] ?? ''}`);
  let params: P | undefined;
  let image: { bytes: Buffer; filename: string } | undefined;
  let at = buffer.indexOf(delimiter);
  // Each part lies between the CRLF after its delimiter and the CRLF before the next one; `--` after one closes.
  while (at >= 0 && buffer.toString('latin1', at + delimiter.length, at + delimiter.length + 2) !== '--') {
    const start = at + delimiter.length + 2;
    const next = buffer.indexOf(delimiter, start);
    if (next < 0) {
      throw new Error('multipart reply: the body ends before its closing delimiter');
    }
    const part = buffer.subarray(start, next - 2);
    const split = part.indexOf(CRLF_CRLF);
    const headers = part.toString('utf8', 0, Math.max(split, 0));
    const name = /\bname="([^"]*)"/i.exec(headers)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(headers)?.[1];
    const content = part.subarray(split + CRLF_CRLF.length);
    if (name === 'params') {
      params = parseJson<P>(content.toString('utf8'));
    } else if (name === 'image') {
      image = { bytes: content, filename: filename ?? 'image' };
    }
    at = next;
  }
  if (params === undefined || image === undefined) {
    throw new Error(`multipart reply: expected a 'params' and an 'image' part, ${describeMissing(params, image)}`);
  }
  return { params, image: image.bytes, filename: image.filename };
}

/** Reads a `fetch` reply whole and splits it with {@link parseMultipartReply}. */
export async function readMultipartReply<P = Record<string, unknown>>(response: Response): Promise<MultipartReply<P>> {
  return parseMultipartReply<P>(await response.arrayBuffer(), response.headers.get('content-type'));
}

function parseJson<P>(text: string): P {
  try {
    return JSON.parse(text) as P;
  } catch (error) {
    throw new Error(`multipart reply: the 'params' part is not JSON (${(error as Error).message})`);
  }
}

function describeMissing(params: unknown, image: unknown): string {
  return params === undefined && image === undefined
    ? 'got neither'
    : params === undefined
      ? "got no 'params'"
      : "got no 'image'";
}
