import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { configPart, pluginConfig, putModel, writePassThroughPlugin } from '../support/admin-client';
import { CT_FILE, listing, waitFor } from '../support/hardening-support';
import { PY_BOUNDARY, pyMultipart } from '../support/inference-helpers';
import { rawRequest, type RawExchange } from '../support/raw-http';
import { useTestApp, type SharedTestApp } from '../support/test-app';
import { RequestSlots } from '../../src/upload/request-slots';
import { UploadSpace } from '../../src/upload/upload-space';

jest.setTimeout(60_000);

const MULTIPART = `Content-Type: multipart/form-data; boundary=${PY_BOUNDARY}`;
const IMAGE = pyMultipart({ params: '{}' }, [{ field: 'image', filename: 'ct.nii', content: CT_FILE }]);

/** `<workspace>/lib/slow.js`: an inference that takes `ms` before it answers (a long model run). */
async function writeSlowPlugin(workspace: string, ms: number): Promise<void> {
  await writePassThroughPlugin(workspace);
  await fs.writeFile(
    path.join(workspace, 'lib', 'slow.js'),
    `exports.Slow = class Slow {\n  async inference(name, data) {\n    await new Promise((r) => setTimeout(r, ${ms}));\n    return data;\n  }\n};\n`,
  );
}

/** The JSON body of a raw reply. */
function jsonOf(exchange: RawExchange): { message: string } & Record<string, unknown> {
  return JSON.parse(exchange.text.slice(exchange.text.lastIndexOf('\r\n\r\n') + 4)) as { message: string };
}

function header(exchange: RawExchange, name: string): string | undefined {
  return new RegExp(`^${name}: (.*)$`, 'im').exec(exchange.text)?.[1]?.trim();
}

const port = (t: SharedTestApp): number => Number(new URL(t.base).port);

describe('image requests run two at a time here (--max_heavy_requests 1 --heavy_queue 1): past the queue, 503', () => {
  const t = useTestApp({ maxHeavyRequests: 1, heavyQueue: 1 }, (ws) => writeSlowPlugin(ws, 1500));

  beforeAll(async () => {
    const config = pluginConfig({ inference: { name: 'slow.Slow', args: {} } });
    expect((await putModel(t.base, 'slow', { config: configPart(config) })).status).toBe(200);
  });

  const infer = (): Promise<RawExchange> =>
    rawRequest(port(t), `POST /v1/inference?model=slow HTTP/1.1\r\nHost: x\r\n${MULTIPART}`, IMAGE);

  it('one runs, one waits, the third is refused at once with 503 and a Retry-After', async () => {
    const first = infer();
    await waitFor(async () => t.app.get(RequestSlots).load.running === 1, 5_000);
    const second = infer();
    await waitFor(async () => t.app.get(RequestSlots).load.waiting === 1, 5_000);
    const third = await infer();
    expect(third.statuses).toEqual([503]);
    expect(third.ms).toBeLessThan(1_000);
    expect(Number(header(third, 'Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(jsonOf(third).message).toMatch(
      /^the server is busy: 1 image requests running and 1 waiting, the most it queues \(--max_heavy_requests 1, --heavy_queue 1\); retry in \d+ s$/,
    );
    const [a, b] = await Promise.all([first, second]);
    expect([a.statuses, b.statuses]).toEqual([[200], [200]]);
    // The second waited for the first: about two model runs in all.
    expect(b.ms).toBeGreaterThan(2_500);
    expect(t.app.get(RequestSlots).load).toEqual({ running: 0, waiting: 0 });
  });

  it('a waiting client that goes away leaves the queue for the next', async () => {
    const first = infer();
    await waitFor(async () => t.app.get(RequestSlots).load.running === 1, 5_000);
    const gone = rawRequest(port(t), `POST /v1/inference?model=slow HTTP/1.1\r\nHost: x\r\n${MULTIPART}`, IMAGE, {
      timeoutMs: 300,
    });
    expect((await gone).statuses).toEqual([]);
    expect(await waitFor(async () => t.app.get(RequestSlots).load.waiting === 0, 5_000)).toBe(true);
    const next = await infer();
    expect(next.statuses).toEqual([200]);
    expect((await first).statuses).toEqual([200]);
    // Each request folder goes once its reply is sent.
    const tmp = path.join(t.workspace, 'sessions', 'tmp');
    expect(await waitFor(async () => (await listing(tmp)).length === 0, 5_000)).toBe(true);
  });
});

describe('sessions per client (--sessions_per_client 2, --session_max_expiry_sec 120)', () => {
  const t = useTestApp({ sessionsPerClient: 2, sessionMaxExpirySec: 120 });

  const createFrom = (localAddress: string, expiry: number): Promise<RawExchange> =>
    rawRequest(port(t), `PUT /session/?expiry=${expiry} HTTP/1.1\r\nHost: x\r\n${MULTIPART}`, IMAGE, {
      localAddress,
    });

  it('a client over its quota gets 429 with a Retry-After, while another client keeps working', async () => {
    const one = await createFrom('127.0.0.2', 999_999);
    expect(one.statuses).toEqual([200]);
    // The expiry asked for is capped by the server's ceiling.
    expect(jsonOf(one)['expiry']).toBe(120);
    expect((await createFrom('127.0.0.2', 60)).statuses).toEqual([200]);
    const refused = await createFrom('127.0.0.2', 60);
    expect(refused.statuses).toEqual([429]);
    expect(jsonOf(refused).message).toMatch(
      /^client 127\.0\.0\.2 holds 2 sessions, the most one client may hold \(--sessions_per_client 2\): close one \(DELETE \/session\/\{id\}\) or wait until one expires, in \d+ s$/,
    );
    // Its first session expires in at most 60 s.
    expect(Number(header(refused, 'Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(Number(header(refused, 'Retry-After'))).toBeLessThanOrEqual(61);
    expect((await createFrom('127.0.0.3', 60)).statuses).toEqual([200]);
    // Closing one of its sessions gives the first client room again.
    const id = String(jsonOf(one)['session_id']);
    expect((await fetch(`${t.base}/session/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await createFrom('127.0.0.2', 60)).statuses).toEqual([200]);
  });
});

describe('upload bytes: per request (--max_upload_mb 1) and across requests (--max_staging_mb 1)', () => {
  const t = useTestApp({ maxUploadMb: 1, maxStagingMb: 1 });
  const MiB = 1024 * 1024;

  it('a series of three 600 kB parts (each under the limit) is 413 naming the total, nothing left behind', async () => {
    const part = Buffer.alloc(600 * 1024, 7);
    const body = pyMultipart({ params: '{}' }, [
      { field: 'image0', filename: 'a.dcm', content: part },
      { field: 'image1', filename: 'b.dcm', content: part },
      { field: 'image2', filename: 'c.dcm', content: part },
    ]);
    const reply = await rawRequest(port(t), `PUT /session/ HTTP/1.1\r\nHost: x\r\n${MULTIPART}`, body);
    expect(reply.statuses).toEqual([413]);
    expect(jsonOf(reply).message).toBe(
      `multipart file part 'image1': the file parts of the request total more than ${MiB} bytes (--max_upload_mb 1)`,
    );
    expect(await listing(path.join(t.workspace, 'sessions', 'tmp'))).toEqual([]);
    expect(t.app.get(UploadSpace).usedBytes).toBe(0);
  });

  it('while one 700 kB upload is in progress, a second one is refused with 503 and a Retry-After', async () => {
    const big = pyMultipart({ params: '{}' }, [
      { field: 'image', filename: 'ct.nii', content: Buffer.alloc(700 * 1024) },
    ]);
    const head = `PUT /session/ HTTP/1.1\r\nHost: x\r\n${MULTIPART}`;
    // Sends 690 kB, then stalls until the client gives up.
    const stalled = rawRequest(port(t), head, big, { sendBytes: 690 * 1024, timeoutMs: 2_000 });
    expect(await waitFor(async () => t.app.get(UploadSpace).usedBytes > 600 * 1024, 5_000)).toBe(true);
    const second = await rawRequest(port(t), head, big);
    expect(second.statuses).toEqual([503]);
    expect(Number(header(second, 'Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(jsonOf(second).message).toBe(
      "request body: the server's space for uploads in progress is full (1 MiB, --max_staging_mb); retry shortly",
    );
    await stalled;
    expect(await waitFor(async () => t.app.get(UploadSpace).usedBytes === 0, 5_000)).toBe(true);
    expect(
      await waitFor(async () => (await listing(path.join(t.workspace, 'sessions', 'tmp'))).length === 0, 5_000),
    ).toBe(true);
  });
});

describe('--trust_proxy loopback: the client address comes from X-Forwarded-For or Forwarded', () => {
  const t = useTestApp({ trustProxy: 'loopback', adminHosts: '10.9.8.7' });

  const admin = (headers: string): Promise<RawExchange> =>
    rawRequest(port(t), `GET /admin/model HTTP/1.1\r\nHost: x${headers}`, Buffer.alloc(0));

  it('admits the forwarded admin host, by either header, and refuses the proxy itself', async () => {
    expect((await admin('\r\nX-Forwarded-For: 10.9.8.7')).statuses).toEqual([200]);
    expect((await admin('\r\nForwarded: for=10.9.8.7;proto=http')).statuses).toEqual([200]);
    expect((await admin('\r\nForwarded: for="[2001:db8::1]:4711", for=10.9.8.7')).statuses).toEqual([200]);
    const proxyOnly = await admin('');
    expect(proxyOnly.statuses).toEqual([403]);
    expect(jsonOf(proxyOnly).message).toContain('client 127.0.0.1: no admin token given');
    const other = await admin('\r\nX-Forwarded-For: 192.0.2.44');
    expect(jsonOf(other).message).toContain('client 192.0.2.44');
  });
});

describe('without --trust_proxy, forwarding headers are ignored', () => {
  const t = useTestApp({ adminHosts: '10.9.8.7' });

  it('a loopback client claiming to forward the admin host is refused', async () => {
    const reply = await rawRequest(
      port(t),
      'GET /admin/model HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.9.8.7\r\nForwarded: for=10.9.8.7',
      Buffer.alloc(0),
    );
    expect(reply.statuses).toEqual([403]);
  });
});
