import { useTestApp } from '../support/test-app';

// Real servers, SQLite and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

describe('server basics (real app through createApp, real SQLite in a temp workspace, real HTTP on 127.0.0.1)', () => {
  const server = useTestApp();

  it('GET /health answers 200 with the shape formats of @aiaa/core', async () => {
    const res = await fetch(`${server.base}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; shapeFormats: string[] };
    expect(body.status).toBe('ok');
    expect(body.shapeFormats).toContain('CDHW');
  });

  it('GET / answers the web page as HTML with a Content-Length', async () => {
    const res = await fetch(`${server.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-length')).not.toBeNull();
    expect(await res.text()).toContain('/v1/models');
  });

  it('GET /logs?lines=N answers the last N lines of <workspace>/logs/aiaa.log as text', async () => {
    const res = await fetch(`${server.base}/logs?lines=2`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const lines = text.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.length).toBeGreaterThan(0);
    // One JSON object per line (pino): the log file is the one /logs serves.
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), time: expect.any(Number) });
    }
  });

  it('answers the trailing-slash paths clients use: /logs/?lines=N (OHIF) and /docs/ (AIAA)', async () => {
    const logs = await fetch(`${server.base}/logs/?lines=1`);
    expect(logs.status).toBe(200);
    expect((await logs.text()).split('\n').filter((l) => l !== '')).toHaveLength(1);
    const docs = await fetch(`${server.base}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('GET /docs serves Swagger UI and /docs-json the OpenAPI document', async () => {
    const ui = await fetch(`${server.base}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const json = await fetch(`${server.base}/docs-json`);
    expect(json.status).toBe(200);
    const doc = (await json.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/logs');
  });

  it('an unknown route answers 404 as JSON naming the route', async () => {
    const res = await fetch(`${server.base}/no/such/route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { statusCode: number; error: string; message: string };
    expect(body.statusCode).toBe(404);
    expect(body.error).toBe('Not Found');
    expect(body.message).toContain('/no/such/route');
  });
});
