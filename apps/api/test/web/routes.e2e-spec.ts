import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/server-process';
import { removeWorkspace, startTestApp, type TestApp } from '../support/test-app';

// Real servers and SQLite on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

const SAMPLES = path.join(REPO_ROOT, 'samples');

describe('the page and the samples over HTTP (built dist/web, real app on 127.0.0.1)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.close();
    await removeWorkspace(t.workspace);
  });

  it('GET / answers index.html, and every script and stylesheet it names answers with its type', async () => {
    const res = await fetch(`${t.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    const assets = [...html.matchAll(/(?:src|href)="(\/web\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toEqual(expect.arrayContaining(['/web/app.js', '/web/style.css']));
    for (const asset of assets) {
      const reply = await fetch(`${t.base}${asset}`);
      expect([asset, reply.status]).toEqual([asset, 200]);
      const type = asset.endsWith('.js') ? 'text/javascript' : asset.endsWith('.css') ? 'text/css' : 'text/plain';
      expect(reply.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      const body = Buffer.from(await reply.arrayBuffer());
      expect(body.equals(await fs.readFile(path.join(REPO_ROOT, 'dist', asset)))).toBe(true);
    }
  });

  it('GET /samples lists the NIfTI files of samples/ with their sizes; GET /samples/{name} answers the file', async () => {
    const expected = [];
    for (const name of (await fs.readdir(SAMPLES)).filter((n) => /\.nii(\.gz)?$/.test(n)).sort()) {
      expected.push({ name, bytes: (await fs.stat(path.join(SAMPLES, name))).size });
    }
    expect(expected.map((s) => s.name)).toContain('spleen_8_ct.nii.gz');
    expect(await (await fetch(`${t.base}/samples`)).json()).toEqual(expected);
    const res = await fetch(`${t.base}/samples/spleen_8_ct.nii.gz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(await fs.readFile(path.join(SAMPLES, 'spleen_8_ct.nii.gz')))).toBe(true);
  });

  describe('refuses what is not a sample or a page file, naming it', () => {
    it.each([
      ['/samples/README.md', "sample 'README.md' does not exist"],
      ['/samples/nope.nii.gz', "sample 'nope.nii.gz' does not exist"],
      ['/samples/..%2Fpackage.json', "sample '../package.json' does not exist"],
      ['/web/..%2F..%2Fpackage.json', "page file '../../package.json' does not exist"],
      ['/web/missing.js', "page file 'missing.js' does not exist"],
    ])('GET %s → 404', async (url, message) => {
      const res = await fetch(`${t.base}${url}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ statusCode: 404, error: 'Not Found', message, kind: 'not-found' });
    });
  });
});
