import type { Server } from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { CT_FILE, listing } from '../support/hardening-support';
import { PY_BOUNDARY, pyMultipart } from '../support/inference-helpers';
import { rawRequest, type RawExchange } from '../support/raw-http';
import { useTestApp } from '../support/test-app';

jest.setTimeout(60_000);

const JSON_BODY = Buffer.from(JSON.stringify({ padding: 'x'.repeat(1000) }));
const IMAGE = pyMultipart({ params: '{}' }, [{ field: 'image', filename: 'ct.nii', content: CT_FILE }]);

function messageOf(exchange: RawExchange): string {
  const body = exchange.text.slice(exchange.text.lastIndexOf('\r\n\r\n') + 4);
  return (JSON.parse(body) as { message: string }).message;
}

describe('one deadline for every request body (--upload_idle_timeout_sec 1, --body_timeout_sec 3)', () => {
  // Loopback is not an admin host here: the admin routes refuse it.
  const t = useTestApp({ uploadIdleTimeoutSec: 1, bodyTimeoutSec: 3, adminHosts: '192.0.2.1' });
  const port = (): number => Number(new URL(t.base).port);

  it.each([
    ['a JSON body on a route that does not exist (404)', 'POST /no/such/route', 'application/json', [404]],
    ['a JSON body on an admin route this client may not use (403)', 'PUT /admin/model/x', 'application/json', [403]],
    ['a JSON body on an upload route', 'POST /v1/segmentation?model=x', 'application/json', [404]],
  ])('%s that stalls half-way: the connection is closed within 3 s', async (_what, line, type, statuses) => {
    const reply = await rawRequest(port(), `${line} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}`, JSON_BODY, {
      sendBytes: 500,
      untilClosed: true,
    });
    expect(reply.closed).toBe(true);
    expect(reply.ms).toBeLessThan(3_000);
    // Refused before the body was read, or answered 408 when a parser was reading it.
    expect([statuses, [408]]).toContainEqual(reply.statuses);
  });

  it('a urlencoded body that stalls while it is parsed: 408 naming the deadline, the connection closed', async () => {
    const reply = await rawRequest(
      port(),
      'POST /session/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded',
      Buffer.from(`a=${'b'.repeat(1000)}`),
      { sendBytes: 100, untilClosed: true },
    );
    expect(reply.statuses).toEqual([408]);
    expect(reply.closed).toBe(true);
    expect(messageOf(reply)).toBe(
      'request body: no bytes received for 1 s, upload abandoned (--upload_idle_timeout_sec)',
    );
  });

  it('a multipart body trickled (never 1 s silent) past the 3 s whole-request deadline: 408, nothing left', async () => {
    const started = Date.now();
    const reply = await new Promise<RawExchange>((resolve, reject) => {
      // One byte every 200 ms, from a raw socket that writes the head first.
      const socket = net.connect(port(), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('error', reject);
      socket.write(
        `PUT /session/ HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${PY_BOUNDARY}\r\n` +
          `Content-Length: ${IMAGE.length}\r\n\r\n`,
      );
      let at = 0;
      const drip = setInterval(() => {
        if (!socket.destroyed && at < IMAGE.length) {
          socket.write(IMAGE.subarray(at, ++at));
        }
      }, 200);
      socket.on('close', () => {
        clearInterval(drip);
        const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
        resolve({ statuses, text, closed: true, ms: Date.now() - started });
      });
    });
    expect(reply.statuses).toEqual([408]);
    expect(messageOf(reply)).toBe('request body: not received whole within 3 s, upload abandoned (--body_timeout_sec)');
    expect(reply.ms).toBeGreaterThanOrEqual(3_000);
    expect(reply.ms).toBeLessThan(6_000);
    expect(await listing(path.join(t.workspace, 'sessions', 'tmp'))).toEqual([]);
  });

  it('Expect: 100-continue on a refused admin route gets the 403 without an invitation to send the body', async () => {
    const reply = await rawRequest(
      port(),
      'PUT /admin/model/x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/json',
      JSON_BODY,
      { waitForContinue: true },
    );
    expect(reply.statuses).toEqual([403]);
    expect(messageOf(reply)).toBe(
      'admin routes answer only to the admin hosts (--admin_hosts) or a valid admin token; client 127.0.0.1: no admin token given',
    );
  });

  it('Expect: 100-continue elsewhere is answered 100, then the request is served', async () => {
    const reply = await rawRequest(
      port(),
      `PUT /session/ HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: multipart/form-data; boundary=${PY_BOUNDARY}`,
      IMAGE,
      { waitForContinue: true },
    );
    expect(reply.statuses).toEqual([100, 200]);
  });

  it('sets the server-wide timeouts deliberately: headers 20 s, keep-alive 5 s, sockets never cut while idle', () => {
    const server = t.app.getHttpServer() as Server;
    expect({
      headersTimeout: server.headersTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
      timeout: server.timeout,
    }).toEqual({ headersTimeout: 20_000, keepAliveTimeout: 5_000, timeout: 0 });
  });

  it('keeps serving', async () => {
    expect((await fetch(`${t.base}/v1/models`)).status).toBe(200);
  });
});
