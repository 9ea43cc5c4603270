// Raw HTTP/1.1 over one TCP socket, for what fetch cannot do: pick the client's local address (127.0.0.x is all
// loopback on Linux), send a body in part and stall, send `Expect: 100-continue` and watch for the interim reply.
import * as net from 'node:net';

/** What came back on a raw connection before it closed (or before the caller stopped waiting). */
export interface RawExchange {
  /** Status lines in order: `100` then `200` for a continued request. */
  readonly statuses: number[];
  /** Everything received, as text. */
  readonly text: string;
  /** True when the server closed the connection. */
  readonly closed: boolean;
  readonly ms: number;
}

export interface RawRequestOptions {
  /** The client's address (default 127.0.0.1). */
  readonly localAddress?: string;
  /** Bytes of the body to send (default all); the rest never comes. */
  readonly sendBytes?: number;
  /** Send the body only after a `100 Continue`. */
  readonly waitForContinue?: boolean;
  /** Stop waiting after this (the connection is destroyed); default 10 s. */
  readonly timeoutMs?: number;
  /** Keep reading after a final reply, until the server closes the connection (or the timeout). */
  readonly untilClosed?: boolean;
}

/**
 * Sends `head` (request line and headers, without the blank line) and then the body as `options` say, and collects
 * the reply until the server closes the connection, a final reply is complete, or the timeout passes.
 */
export function rawRequest(
  port: number,
  head: string,
  body: Buffer,
  options: RawRequestOptions = {},
): Promise<RawExchange> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: options.localAddress ?? '127.0.0.1' });
    let text = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) {
        return;
      }
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ statuses, text, closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 10_000);
    const sent = options.sendBytes === undefined ? body : body.subarray(0, options.sendBytes);
    let sentBody = false;
    const sendBody = (): void => {
      if (!sentBody) {
        sentBody = true;
        socket.write(sent);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (options.waitForContinue && /HTTP\/1\.1 100/.test(text)) {
        sendBody();
      }
      const final = /HTTP\/1\.1 [2-5]\d\d[^]*?\r\n\r\n/.exec(text);
      const length = final ? Number(/content-length: (\d+)/i.exec(final[0])?.[1] ?? 0) : -1;
      if (!options.untilClosed && final && text.length >= (final.index ?? 0) + final[0].length + length) {
        finish(false);
      }
    });
    socket.on('close', () => finish(true));
    socket.on('error', (error) => (done ? undefined : reject(error)));
    socket.write(`${head}\r\nContent-Length: ${body.length}\r\n\r\n`);
    if (!options.waitForContinue) {
      sendBody();
    }
  });
}
