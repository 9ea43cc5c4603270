import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as http from 'node:http';
import { errorMessage, request, type RawReply } from '../support/inference-helpers';
import { configPart, putModel } from '../support/admin-client';
import { makeWorkspace, removeWorkspace, startTestApp, type TestApp } from '../support/test-app';
import { makeZip } from '../support/zip-writer';
import { THRESHOLD_ONNX, listing, registryState, thresholdConfig } from '../support/hardening-support';

jest.setTimeout(60_000);

const CONFIG = JSON.stringify(thresholdConfig(1));

/**
 * Model names as they travel in the URL path (percent-encoded where a client would have to), each refused with 400
 * and a message naming the model name. Raw `../x` is not here: it never reaches the route (see below).
 */
const BAD_NAMES: readonly [label: string, encoded: string, fragment: string][] = [
  ['../x, encoded', '..%2Fx', 'path separator'],
  ['%2e%2e%2fx', '%2e%2e%2fx', 'path separator'],
  ['an absolute path', '%2Fetc%2Fpasswd', 'path separator'],
  ['a Windows absolute path', 'C%3A%5Cwindows', 'path separator'],
  ['a backslash climb', '..%5C..%5Cx', 'path separator'],
  ['a NUL byte', 'spleen%00.onnx', 'NUL'],
  ['a leading dot', '.hidden', 'starting with a letter or digit'],
  ['a Cyrillic look-alike e', encodeURIComponent('spl\u0435en'), 'expected letters, digits'],
  ['an RTL override', encodeURIComponent('\u202Exnno.exe'), 'expected letters, digits'],
  ['fullwidth dots and slash', encodeURIComponent('\uFF0E\uFF0E\uFF0Fx'), 'expected letters, digits'],
  ['a zero-width space', encodeURIComponent('spleen\u200B'), 'expected letters, digits'],
  ['65 characters', 'a'.repeat(65), 'length 65'],
];

/** Zip entries that must never be written: each bundle is refused with 400 naming the entry. */
const SLIP_ENTRIES: readonly string[] = [
  'models/../../../evil.onnx',
  '../evil.onnx',
  '/tmp/evil.onnx',
  'models/..\\..\\evil.onnx',
  'C:/evil.onnx',
  'models/sub/../../../../evil.onnx',
  'models/evil\0.onnx',
  'config/../../config_aiaa.json',
];

/** A request whose path is sent exactly as given (Node's http.request with `path`, no URL parsing). */
function rawRequest(base: string, method: string, rawPath: string): Promise<RawReply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ method, host: hostname, port, path: rawPath, headers: { 'Content-Length': '0' } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('model names and bundle entries that reach outside the workspace are refused, nothing is written there', () => {
  let root: string;
  let t: TestApp;

  beforeAll(async () => {
    // The workspace sits alone inside `root`, so anything written beside it (one level up) shows.
    root = await makeWorkspace();
    t = await startTestApp({}, path.join(root, 'ws'));
  });

  afterAll(async () => {
    await t.close();
    await removeWorkspace(root);
  });

  async function expectNothingWritten(): Promise<void> {
    expect(await fs.readdir(root)).toEqual(['ws']);
    expect(await listing(path.join(t.workspace, 'models'))).toEqual([]);
    expect(await listing(t.config.stagingDir)).toEqual([]);
    expect((await registryState(t.base, t.workspace)).rows).toEqual([]);
    await expect(fs.access('/tmp/evil.onnx')).rejects.toThrow();
  }

  describe.each(BAD_NAMES)('model name: %s', (_label, encoded, fragment) => {
    it('PUT answers 400 naming the model name, writing nothing', async () => {
      const res = await putModel(t.base, encoded, {
        config: configPart(JSON.parse(CONFIG)),
        data: { data: THRESHOLD_ONNX, filename: 'model.onnx' },
      });
      const body = (await res.json()) as { message: string };
      expect({ status: res.status, message: body.message }).toEqual({ status: 400, message: expect.any(String) });
      expect(body.message).toContain('model name');
      expect(body.message).toContain(fragment);
      await expectNothingWritten();
    });

    it('GET and DELETE answer 400 too', async () => {
      for (const method of ['GET', 'DELETE']) {
        const reply = await request(method, `${t.base}/admin/model/${encoded}`);
        expect([method, reply.status]).toEqual([method, 400]);
        expect(errorMessage(reply)).toContain('model name');
      }
    });
  });

  it('paths sent raw (no client normalisation): dot segments never reach a model folder', async () => {
    // WHATWG URLs (fetch) fold `..`, `%2e%2e` and `./` before sending; a raw client does not.
    const cases: [string, number][] = [
      ['/admin/model/../x', 404],
      ['/admin/model/../../etc/passwd', 404],
      ['/admin/model/./../x', 404],
      ['/admin/model/%2e%2e', 400],
      ['/admin/model/%2e%2e%2fx', 400],
      ['/admin/model/%2E%2E%2F%2E%2E%2Fetc', 400],
    ];
    for (const [raw, status] of cases) {
      const reply = await rawRequest(t.base, 'PUT', raw);
      expect([raw, reply.status]).toEqual([raw, status]);
      if (status === 400) {
        expect(errorMessage(reply)).toContain('model name');
      }
    }
    await expectNothingWritten();
  });

  describe.each(SLIP_ENTRIES)('bundle entry %j', (entry) => {
    it('is refused with 400 naming the entry; nothing written inside or outside the workspace', async () => {
      const zip = makeZip([
        { name: 'config/config_aiaa.json', data: CONFIG },
        { name: 'models/model.onnx', data: THRESHOLD_ONNX },
        { name: entry, data: 'evil' },
      ]);
      const res = await putModel(t.base, 'spleen', { data: { data: zip, filename: 'bundle.zip' } });
      const body = (await res.json()) as { message: string };
      expect({ status: res.status, message: body.message }).toEqual({ status: 400, message: expect.any(String) });
      // The zip reader shows `\\` as `/`; the entry is named either way.
      expect(body.message).toContain(JSON.stringify(entry.replace(/\\/g, '/')));
      expect(body.message).toContain('outside the bundle');
      await expectNothingWritten();
    });
  });

  it('unicode look-alikes in entry names stay inside the model folder', async () => {
    const zip = makeZip([
      { name: 'config/config_aiaa.json', data: CONFIG },
      { name: 'models/model.onnx', data: THRESHOLD_ONNX },
      { name: 'models/\uFF0E\uFF0E\uFF0Fevil.txt', data: 'not a climb' },
      { name: 'models/\u202Etxt.exe', data: 'not a climb' },
    ]);
    const res = await putModel(t.base, 'spleen', { data: { data: zip, filename: 'bundle.zip' } });
    expect(res.status).toBe(200);
    expect(await fs.readdir(root)).toEqual(['ws']);
    expect(await listing(path.join(t.workspace, 'models', 'spleen'))).toEqual(
      [
        '1',
        '1/config_aiaa.json',
        '1/models',
        '1/models/model.onnx',
        '1/models/\uFF0E\uFF0E\uFF0Fevil.txt',
        '1/models/\u202Etxt.exe',
        '1/version.json',
      ].sort(),
    );
    expect((await fetch(`${t.base}/admin/model/spleen`, { method: 'DELETE' })).status).toBe(200);
  });
});
