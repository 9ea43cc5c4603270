// The soak's wire format: requests shaped as the official Python client sends them (its boundary, text fields first,
// then files), each with a Content-Length and a timeout, and the file part of a multipart reply. The tools project
// imports no other project's files, so this is the soak's own small copy of what the api's e2e helpers do.
import * as http from 'node:http';

/** The boundary the official Python client uses (py_client/client_api.py). */
export const PY_BOUNDARY = '----------lImIt_of_THE_fIle_eW_$';

/** One file part of a request body. */
export interface FilePart {
  readonly field: string;
  readonly filename: string;
  readonly content: Buffer;
}

/** A multipart body as the Python client encodes it: text fields first, then files with `filename="<path>"`. */
export function pyMultipart(fields: Record<string, string>, files: readonly FilePart[]): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${PY_BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${PY_BOUNDARY}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${PY_BOUNDARY}--\r\n\r\n`));
  return Buffer.concat(chunks);
}

/** A whole reply. */
export interface RawReply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request over `agent`, aborted after `timeoutMs`; the body (if any) is sent with a Content-Length. */
export function request(
  method: string,
  url: string,
  body: Buffer | undefined,
  headers: Record<string, string>,
  options: { readonly agent: http.Agent; readonly timeoutMs: number },
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      agent: options.agent,
      signal: AbortSignal.timeout(options.timeoutMs),
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

/** The body of the first part of a multipart reply that carries a `filename`, or undefined when there is none. */
export function replyFile(reply: RawReply): Buffer | undefined {
  const boundary = /boundary=("?)([^";]+)\1/.exec(reply.headers['content-type'] ?? '')?.[2];
  if (!boundary) {
    return undefined;
  }
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // Each part starts after a delimiter line; the first delimiter has no CRLF before it.
  let start = reply.body.indexOf(`--${boundary}\r\n`);
  for (let guard = 0; start >= 0 && guard < 100; guard++) {
    const headersEnd = reply.body.indexOf('\r\n\r\n', start);
    const end = reply.body.indexOf(delimiter, headersEnd);
    if (headersEnd < 0 || end < 0) {
      return undefined;
    }
    if (/filename="/.test(reply.body.toString('utf8', start, headersEnd))) {
      return reply.body.subarray(headersEnd + 4, end);
    }
    start = end + 2;
  }
  return undefined;
}
