// An HTTP relay on 127.0.0.1 in front of Orthanc, as a gateway between a PACS and its clients: `chunked` forwards
// answers as they come without a Content-Length (counting the body bytes passed on; backpressure is kept, so that
// is what the client read plus the socket buffers); `buffered` reads the whole answer first and sends it with its
// Content-Length. Every request is logged, so a test can tell what reached the PACS and how much it sent back.
import { type IncomingHttpHeaders, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the relay forwarded. */
export interface RelayedRequest {
  readonly method: string;
  /** Path and query as the client sent them. */
  readonly url: string;
  /** The PACS' status, once its answer's headers came (undefined before, or when it never answered). */
  status?: number;
  /** Body bytes of the answer forwarded so far. */
  sentBytes: number;
}

/** A relay between a test and an upstream server (a PACS), counting what it forwarded; `close()` stops it. */
export interface HttpRelay {
  /** The relay's base URL; paths are forwarded unchanged. */
  readonly url: string;
  /** Body bytes forwarded to the client so far. */
  sentBytes(): number;
  /** Every request forwarded so far, oldest first. */
  requests(): readonly RelayedRequest[];
  close(): Promise<void>;
}

/** Starts a relay to `upstream` (its path is kept as the relay URL's path). */
export async function startRelay(upstream: string, mode: 'chunked' | 'buffered'): Promise<HttpRelay> {
  const target = new URL(upstream);
  let sent = 0;
  const log: RelayedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const entry: RelayedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', sentBytes: 0 };
    log.push(entry);
    const forward = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        entry.status = answer.statusCode;
        const headers: IncomingHttpHeaders = { ...answer.headers };
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        res.on('close', () => answer.destroy());
        if (mode === 'chunked') {
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.on('data', (chunk: Buffer) => {
            sent += chunk.length;
            entry.sentBytes += chunk.length;
          });
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const withLength: IncomingHttpHeaders = { ...headers, 'content-length': String(body.length) };
          res.writeHead(answer.statusCode ?? 502, withLength);
          sent += body.length;
          entry.sentBytes += body.length;
          res.end(body);
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    sentBytes: () => sent,
    requests: () => log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
