import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { request, sendPyMultipart } from '../support/inference-helpers';
import { configPart, putModel } from '../support/admin-client';
import { CT_FILE, THRESHOLD_ONNX, datapoint, thresholdConfig } from '../support/hardening-support';
import { useTestApp } from '../support/test-app';

jest.setTimeout(60_000);

type Line = Record<string, unknown>;

/** Every line of the log file, each parsed as the JSON object it must be. */
async function logLines(file: string): Promise<Line[]> {
  const text = await fs.readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Line);
}

/** What the logs say of a session id, computed here: `session#` and 12 hex digits of its SHA-256. */
const tagOf = (id: string): string => `session#${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;

describe('the log: one JSON line per request, request ids, model events; never bodies, tokens or session ids', () => {
  const t = useTestApp({ adminToken: 'tok-never-logged-7f3a' });

  beforeAll(async () => {
    const res = await putModel(t.base, 'spleen', {
      config: configPart(thresholdConfig(1)),
      data: { data: THRESHOLD_ONNX, filename: 'model.onnx' },
    });
    expect(res.status).toBe(200);
  });

  it('sends each request its id in X-Request-Id (the client’s own when usable) and logs it on its line', async () => {
    const fresh = await fetch(`${t.base}/v1/models`);
    const id = fresh.headers.get('x-request-id') ?? '';
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const own = await fetch(`${t.base}/v1/models`, { headers: { 'X-Request-Id': 'client-42.a:b' } });
    expect(own.headers.get('x-request-id')).toBe('client-42.a:b');
    const odd = await fetch(`${t.base}/v1/models`, { headers: { 'X-Request-Id': 'has space' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
    const lines = (await logLines(t.config.logFile)).filter((l) => l['event'] === 'request');
    expect(lines.find((l) => l['reqId'] === id)).toMatchObject({ method: 'GET', url: '/v1/models', status: 200 });
    expect(lines.find((l) => l['reqId'] === 'client-42.a:b')).toMatchObject({ status: 200 });
  });

  it('logs a segmentation with its route, model, version, status, bytes and stage timings', async () => {
    const reply = await sendPyMultipart('POST', `${t.base}/v1/segmentation?model=spleen`, { params: '{}' }, [
      datapoint(),
    ]);
    expect(reply.status).toBe(200);
    const id = String(reply.headers['x-request-id']);
    const line = (await logLines(t.config.logFile)).find((l) => l['reqId'] === id && l['event'] === 'request');
    expect(line).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/v1/segmentation',
      model: 'spleen',
      version: 1,
      status: 200,
      bytesIn: CT_FILE.length + 2,
      bytesOut: Number(reply.headers['content-length']),
    });
    expect(Object.keys(line?.['timingsMs'] as object).sort()).toEqual(
      ['upload', 'read', 'pre_transforms', 'inference', 'post_transforms', 'writer', 'total'].sort(),
    );
  });

  it('logs model loads, activations and load failures as events', async () => {
    const bad = await putModel(t.base, 'spleen', {
      config: configPart({ ...thresholdConfig(2), pre_transforms: [{ name: 'NoSuchTransform', args: {} }] }),
    });
    expect(bad.status).toBe(400);
    const events = (await logLines(t.config.logFile)).filter((l) => typeof l['event'] === 'string');
    expect(events).toContainEqual(expect.objectContaining({ event: 'model_loaded', model: 'spleen', version: 1 }));
    expect(events).toContainEqual(expect.objectContaining({ event: 'model_activated', model: 'spleen', version: 1 }));
    const failed = events.find((l) => l['event'] === 'model_load_failed');
    expect(failed).toMatchObject({ level: 50, model: 'spleen', version: 2 });
    expect(String(failed?.['error'])).toContain('NoSuchTransform');
  });

  it('never writes the admin token, a request body or a session id; a session appears as its hash', async () => {
    const headers = { Authorization: 'Bearer tok-never-logged-7f3a' };
    expect((await fetch(`${t.base}/admin/model`, { headers })).status).toBe(200);
    const session = await sendPyMultipart('PUT', `${t.base}/session/?expiry=60`, {}, [
      { field: 'image', filename: 'ct.nii', content: CT_FILE },
    ]);
    expect(session.status).toBe(200);
    const id = (JSON.parse(session.body.toString('utf8')) as { session_id: string }).session_id;
    const marker = 'params-marker-e41d';
    const segmented = await sendPyMultipart(
      'POST',
      `${t.base}/v1/segmentation?model=spleen&session_id=${id}`,
      { params: JSON.stringify({ note: marker }) },
      [],
    );
    expect(segmented.status).toBe(200);
    expect((await fetch(`${t.base}/session/${id}`)).status).toBe(200);
    expect((await fetch(`${t.base}/session/${id}`, { method: 'DELETE' })).status).toBe(200);
    // The session is gone: the 440 names it to the client, and only its hash to the log.
    const expired = await sendPyMultipart('POST', `${t.base}/v1/segmentation?model=spleen&session_id=${id}`, {}, []);
    expect(expired.status).toBe(440);
    expect(expired.body.toString('utf8')).toContain(id);
    const text = await fs.readFile(t.config.logFile, 'utf8');
    expect(text).not.toContain('tok-never-logged-7f3a');
    expect(text).not.toContain(marker);
    expect(text).not.toContain(id);
    expect(text.split(tagOf(id)).length - 1).toBeGreaterThanOrEqual(4);
  });

  it('keeps control characters inside their string: %0A in a name or an id cannot start a line', async () => {
    const forged = '{"level":60,"msg":"forged"}';
    const before = (await logLines(t.config.logFile)).length;
    for (const target of [
      `/admin/model/x%0A${encodeURIComponent(forged)}`,
      `/v1/models?model=x%0D%0A${encodeURIComponent(forged)}`,
      `/session/abc%0A${encodeURIComponent(forged)}`,
    ]) {
      const reply = await request('GET', `${t.base}${target}`);
      expect(reply.status).toBeGreaterThanOrEqual(400);
    }
    const lines = await logLines(t.config.logFile);
    expect(lines.length).toBeGreaterThan(before);
    expect(lines.filter((l) => l['msg'] === 'forged')).toEqual([]);
    expect(lines.slice(before).some((l) => JSON.stringify(l).includes('forged'))).toBe(true);
  });

  it('caps what one line carries: a 12 kB id adds at most a few kB to the log', async () => {
    const { size: before } = await fs.stat(t.config.logFile);
    const reply = await request('GET', `${t.base}/admin/model/${'a'.repeat(12_000)}`);
    expect(reply.status).toBe(400);
    const { size: after } = await fs.stat(t.config.logFile);
    expect(after - before).toBeLessThan(12_000);
    for (const line of (await fs.readFile(t.config.logFile, 'utf8')).split('\n')) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(16 * 1024);
    }
  });
});

describe('--log_level and --log_max_mb', () => {
  const t = useTestApp({ logLevel: 'warn', logMaxMb: 1 });

  it('writes only warnings and errors at --log_level warn', async () => {
    expect((await fetch(`${t.base}/v1/models`)).status).toBe(200);
    expect((await fetch(`${t.base}/admin/model/missing`)).status).toBe(404);
    const lines = await logLines(t.config.logFile);
    expect(lines.every((l) => Number(l['level']) >= 40)).toBe(true);
    expect(lines.some((l) => l['url'] === '/admin/model/missing' && l['status'] === 404)).toBe(true);
  });

  it('rotates the log at 1 MiB, keeping three older files; GET /logs reads across the rotation', async () => {
    // Each refused request with a long name logs about 4.5 kB (its message cut at 2 kB, twice).
    for (let i = 0; i < 1000; i++) {
      await request('GET', `${t.base}/admin/model/${String(i).padStart(5, '0')}${'b'.repeat(3000)}`);
    }
    const files = (await fs.readdir(t.config.logFile.replace(/aiaa\.log$/, ''))).sort();
    expect(files).toEqual(['aiaa.log', 'aiaa.log.1', 'aiaa.log.2', 'aiaa.log.3']);
    for (const file of files) {
      expect((await fs.stat(`${t.config.logFile.replace(/aiaa\.log$/, '')}${file}`)).size).toBeLessThanOrEqual(
        1024 * 1024,
      );
    }
    const { size } = await fs.stat(t.config.logFile);
    const current = (await fs.readFile(t.config.logFile, 'utf8')).split('\n').filter((l) => l !== '').length;
    const tail = await (await fetch(`${t.base}/logs?lines=${current + 5}`)).text();
    const lines = tail.split('\n').filter((l) => l !== '');
    expect(size).toBeGreaterThan(0);
    expect(lines).toHaveLength(current + 5);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number) });
    }
  });
});

describe('GET /logs follows the admin rules', () => {
  const t = useTestApp({ adminHosts: ['10.255.255.1'], adminToken: 'logs-token' });

  it('answers 403 to a client that is neither an admin host nor holds the token, 200 with the token', async () => {
    const refused = await fetch(`${t.base}/logs?lines=5`);
    expect(refused.status).toBe(403);
    const res = await fetch(`${t.base}/logs?lines=5`, { headers: { Authorization: 'Bearer logs-token' } });
    expect(res.status).toBe(200);
    expect((await res.text()).split('\n').filter((l) => l !== '')).toHaveLength(5);
  });
});
