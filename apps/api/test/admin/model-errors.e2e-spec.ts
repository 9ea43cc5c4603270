import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { ModelRuntimeService } from '../../src/runtime/model-runtime.service';
import {
  configPart,
  pluginConfig,
  putModel,
  sha256Hex,
  writePassThroughPlugin,
  type ErrorBody,
} from '../support/admin-client';
import { useTestApp, type TestApp } from '../support/test-app';
import { makeZip } from '../support/zip-writer';

// Real servers, SQLite and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

const MODEL = Buffer.from(buildThresholdSegmenter({ threshold: 0.5 }));
const GOOD = {
  version: 1,
  type: 'segmentation',
  labels: ['spleen'],
  pre_transforms: [{ name: 'ScaleIntensityRanged', args: { keys: 'image', a_min: 0, a_max: 100, b_min: 0, b_max: 1 } }],
};

/** Everything a failed upload must leave as it was: files with their hashes, rows, the loaded version, no staging. */
async function snapshot(server: TestApp): Promise<unknown> {
  const models = path.join(server.workspace, 'models');
  const files: Record<string, string> = {};
  for (const file of (await fs.readdir(models, { recursive: true })).map(String).sort()) {
    const full = path.join(models, file);
    if ((await fs.stat(full)).isFile()) {
      files[file] = sha256Hex(await fs.readFile(full));
    }
  }
  const rows: unknown[] = await server.app.get(DataSource).query('SELECT * FROM "model" ORDER BY "name"');
  const runtime = server.app.get(ModelRuntimeService);
  const loaded = runtime.list().map((m) => [m.info.name, m.info.version]);
  const staging = await fs.readdir(server.config.stagingDir);
  return { files, rows, loaded, staging };
}

async function expectError(res: Response, status: number, ...fragments: string[]): Promise<ErrorBody> {
  const body = (await res.json()) as ErrorBody;
  expect({ status: res.status, message: body.message }).toEqual({ status, message: expect.any(String) });
  expect(body.statusCode).toBe(status);
  for (const fragment of fragments) {
    expect(body.message).toContain(fragment);
  }
  return body;
}

describe('PUT /admin/model with bad input: the right status and message, nothing changed, the old version serving', () => {
  const server = useTestApp({ maxUploadMb: 1 });
  let before: unknown;

  beforeAll(async () => {
    const res = await putModel(server.base, 'spleen', {
      config: configPart(GOOD),
      data: { data: MODEL, filename: 'model.onnx' },
    });
    expect(res.status).toBe(200);
    before = await snapshot(server);
  });

  afterEach(async () => {
    expect(await snapshot(server)).toEqual(before);
    expect(server.app.get(ModelRuntimeService).get('spleen').info.version).toBe('1');
  });

  const replace = (config: unknown, extra: Record<string, unknown> = {}) =>
    putModel(server.base, 'spleen', {
      config: typeof config === 'string' ? { data: config, filename: 'config_aiaa.json' } : configPart(config),
      data: { data: MODEL, filename: 'model.onnx' },
      ...extra,
    });

  it('rejects a config that is not JSON with 400 naming config', async () => {
    await expectError(await replace('{"version": 2,'), 400, 'config', 'not valid JSON');
  });

  it('rejects a config that is a JSON array with 400 naming config', async () => {
    await expectError(await replace('[1, 2]'), 400, 'config', 'array');
  });

  it('rejects an unknown model type with 400 naming the field', async () => {
    await expectError(await replace({ ...GOOD, version: 2, type: 'segmentator' }), 400, 'type');
  });

  it('rejects a bad transform argument with 400 naming its config path', async () => {
    const config = {
      ...GOOD,
      version: 2,
      pre_transforms: [
        { name: 'ScaleIntensityRanged', args: { keys: 'image', a_min: 'low', a_max: 1, b_min: 0, b_max: 1 } },
      ],
    };
    await expectError(await replace(config), 400, 'pre_transforms[0]', 'a_min');
  });

  it('rejects an unknown transform with 400 naming its config path', async () => {
    const config = { ...GOOD, version: 2, post_transforms: [{ name: 'NoSuchTransform', args: {} }] };
    await expectError(await replace(config), 400, 'post_transforms[0]', 'NoSuchTransform');
  });

  it('rejects a plugin transform whose file is missing with 400 naming the plugin', async () => {
    const config = { ...GOOD, version: 2, post_transforms: [{ name: 'missing_module.Missing', args: {} }] };
    await expectError(await replace(config), 400, 'missing_module.Missing');
  });

  it('rejects a data file onnxruntime cannot load with 400 naming the model and file', async () => {
    const res = await putModel(server.base, 'spleen', {
      config: configPart({ ...GOOD, version: 2 }),
      data: { data: 'not an onnx model', filename: 'broken.onnx' },
    });
    await expectError(res, 400, "model 'spleen'", 'broken.onnx');
  });

  it('rejects a config without a model file whose inference is built in, with 400 naming the missing file', async () => {
    const res = await putModel(server.base, 'spleen', { config: configPart({ ...GOOD, version: 2 }) });
    await expectError(res, 400, 'no model file');
  });

  it.each(['/etc/hostname', '/etc/no-such-file', '/dev/zero', '../../../../etc/hostname'])(
    "rejects a config whose path names %s outside the model folder, saying nothing of the host's files",
    async (declared) => {
      const res = await putModel(server.base, 'spleen', {
        config: configPart({ ...GOOD, version: 2, path: declared }),
      });
      const body = await expectError(res, 400);
      expect(body.message).toMatch(/^path: must name a file inside the model folder/);
      expect(body.message).not.toContain(declared);
    },
  );

  it('rejects ?native=maybe with 400 naming native', async () => {
    const res = await putModel(server.base, 'spleen', { config: configPart(GOOD) }, { query: '?native=maybe' });
    await expectError(res, 400, 'native');
  });

  it('rejects a body that is not multipart with 415 naming the expected parts', async () => {
    const res = await fetch(`${server.base}/admin/model/spleen`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    await expectError(res, 415, 'multipart/form-data', "'config'", "'data'");
  });

  it('rejects multipart without a boundary with 400', async () => {
    const res = await fetch(`${server.base}/admin/model/spleen`, {
      method: 'PUT',
      headers: { 'content-type': 'multipart/form-data' },
      body: 'x',
    });
    await expectError(res, 400, 'model upload', 'boundary');
  });

  it('rejects a truncated multipart body with 400 saying it is malformed', async () => {
    const body = '--b\r\nContent-Disposition: form-data; name="config"; filename="c.json"\r\n\r\n{"type":';
    const res = await fetch(`${server.base}/admin/model/spleen`, {
      method: 'PUT',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      body,
    });
    await expectError(res, 400, 'malformed multipart');
  });

  it('rejects a JSON NGC reference {path, version} with 415 saying NGC is not supported', async () => {
    const res = await fetch(`${server.base}/admin/model/spleen`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: 'nvidia/med/clara_pt_spleen_ct_segmentation', version: '1' }),
    });
    await expectError(res, 415, 'NGC');
  });

  it('rejects an unexpected part with 400 naming it', async () => {
    await expectError(await replace(GOOD, { weights: { data: 'x', filename: 'w.bin' } }), 400, "'weights'");
  });

  it('rejects a multipart body with no parts it knows… or none at all, with 400', async () => {
    const form = new FormData();
    const res = await fetch(`${server.base}/admin/model/spleen`, { method: 'PUT', body: form });
    await expectError(res, 400, "'config'", "'data'");
  });

  it('rejects a data file without any config (not a bundle) with 400 saying a config is needed', async () => {
    const res = await putModel(server.base, 'spleen', { data: { data: MODEL, filename: 'model.onnx' } });
    await expectError(res, 400, 'no config');
  });

  it('answers 413 naming the part and the limit for a data file over --max_upload_mb', async () => {
    const big = Buffer.alloc(1024 * 1024 + 4096, 7);
    const res = await putModel(server.base, 'spleen', {
      config: configPart(GOOD),
      data: { data: big, filename: 'model.onnx' },
    });
    await expectError(res, 413, "'data'", String(1024 * 1024));
  });

  it('answers 413 for a 10 MB config, naming the part and the limit (the 1 MiB upload limit here, under 4 MiB)', async () => {
    // Valid JSON all the way: a description padded to 10 MB. It was read cut at the upload limit and answered 400
    // "not valid JSON".
    const huge = JSON.stringify({ ...GOOD, version: 2, description: 'x'.repeat(10 * 1024 * 1024) });
    await expectError(await replace(huge), 413, "'config'", String(1024 * 1024));
  });

  it('answers 413 for a small bundle that inflates past the limit (a zip bomb), naming the bundle and the limit', async () => {
    const zip = makeZip([
      { name: 'config/config_aiaa.json', data: JSON.stringify(GOOD) },
      { name: 'models/model.onnx', data: Buffer.alloc(2 * 1024 * 1024), deflate: true },
    ]);
    expect(zip.length).toBeLessThan(64 * 1024);
    const res = await putModel(server.base, 'spleen', { data: { data: zip, filename: 'bomb.zip' } });
    await expectError(res, 413, 'model bundle', String(1024 * 1024));
  });

  it('refuses a zip entry that climbs out of the bundle (zip-slip) with 400 naming the entry, writing nothing', async () => {
    const zip = makeZip([
      { name: 'config/config_aiaa.json', data: JSON.stringify(GOOD) },
      { name: 'models/../../../evil.onnx', data: MODEL },
    ]);
    const res = await putModel(server.base, 'spleen', { data: { data: zip, filename: 'bundle.zip' } });
    await expectError(res, 400, 'models/../../../evil.onnx', 'outside the bundle');
    await expect(fs.stat(path.join(server.workspace, 'evil.onnx'))).rejects.toThrow();
  });

  it('refuses a zip entry with an absolute path with 400 naming the entry', async () => {
    const zip = makeZip([
      { name: 'config/config_aiaa.json', data: JSON.stringify(GOOD) },
      { name: '/tmp/evil.onnx', data: MODEL },
    ]);
    const res = await putModel(server.base, 'spleen', { data: { data: zip, filename: 'bundle.zip' } });
    await expectError(res, 400, '/tmp/evil.onnx');
  });

  it('rejects a bundle holding a file and a folder of the same name with 400 naming it', async () => {
    const zip = makeZip([
      { name: 'config/config_aiaa.json', data: JSON.stringify(GOOD) },
      { name: 'models/model.onnx', data: MODEL },
      { name: 'models/model.onnx/weights.bin', data: 'x' },
    ]);
    const res = await putModel(server.base, 'spleen', { data: { data: zip, filename: 'bundle.zip' } });
    await expectError(res, 400, "model bundle: 'models/model.onnx' is both a file and a folder");
  });

  it('rejects a bundle without config/config_aiaa.json with 400 naming the missing entry', async () => {
    const zip = makeZip([{ name: 'models/model.onnx', data: MODEL }]);
    const res = await putModel(server.base, 'spleen', { data: { data: zip, filename: 'bundle.zip' } });
    await expectError(res, 400, 'config/config_aiaa.json');
  });

  it('rejects a corrupt zip with 400', async () => {
    const zip = makeZip([{ name: 'config/config_aiaa.json', data: JSON.stringify(GOOD) }]);
    const res = await putModel(server.base, 'spleen', {
      data: { data: zip.subarray(0, zip.length - 10), filename: 'b.zip' },
    });
    await expectError(res, 400, 'model bundle');
  });
});

describe('model names in /admin/model/{name}', () => {
  const server = useTestApp();

  it.each([
    ['a path separator (%2F)', 'a%2Fb', 'path separator'],
    ['a backslash', 'a%5Cb', 'path separator'],
    ['a NUL byte', 'a%00b', 'NUL'],
    ['..', 'a..b', "'..'"],
    ['a leading dot', '.hidden', 'starting with a letter or digit'],
    ['a space', 'a%20b', 'letters, digits'],
    ['65 characters', 'x'.repeat(65), 'length 65'],
    ['a trailing dot', 'spleen.', 'ends with a dot'],
    ['the Windows device name con', 'con', 'device name Windows reserves'],
    ['NUL in capitals', 'NUL', 'device name Windows reserves'],
    ['aux with an extension', 'aux.txt', 'device name Windows reserves'],
    ['COM1 with an extension', 'com1.onnx', 'device name Windows reserves'],
    ['lpt9', 'lpt9', 'device name Windows reserves'],
  ])('rejects a name with %s with 400 naming the model name', async (_what, name, fragment) => {
    const res = await putModel(server.base, name, { config: configPart(GOOD) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.message).toContain('model name');
    expect(body.message).toContain(fragment);
    expect((await fetch(`${server.base}/admin/model/${name}`)).status).toBe(400);
    expect((await fetch(`${server.base}/admin/model/${name}`, { method: 'DELETE' })).status).toBe(400);
    expect(await fs.readdir(path.join(server.workspace, 'models'))).toEqual([]);
  });

  it('accepts names that only start like a device name (console, nullable, com10, aux_model)', async () => {
    await writePassThroughPlugin(server.workspace);
    for (const name of ['console', 'nullable', 'com10', 'aux_model']) {
      expect((await putModel(server.base, name, { config: configPart(pluginConfig()) })).status).toBe(200);
      expect((await fetch(`${server.base}/admin/model/${name}`, { method: 'DELETE' })).status).toBe(200);
    }
  });

  it('refuses a name that differs only by case from a registered model: 409 naming both, nothing changed', async () => {
    await writePassThroughPlugin(server.workspace);
    expect((await putModel(server.base, 'Spleen', { config: configPart(pluginConfig()) })).status).toBe(200);
    for (const twin of ['spleen', 'SPLEEN', 'sPlEeN']) {
      const res = await putModel(server.base, twin, { config: configPart(pluginConfig()) });
      expect(res.status).toBe(409);
      const body = (await res.json()) as ErrorBody;
      expect(body.message).toContain(`model name '${twin}' differs only by case from the registered model 'Spleen'`);
    }
    expect(await fs.readdir(path.join(server.workspace, 'models'))).toEqual(['Spleen']);
    expect((await fetch(`${server.base}/admin/model/spleen`)).status).toBe(404);
    expect((await fetch(`${server.base}/admin/model/Spleen`, { method: 'DELETE' })).status).toBe(200);
    // Once it is gone, the other spelling is free.
    expect((await putModel(server.base, 'spleen', { config: configPart(pluginConfig()) })).status).toBe(200);
    expect((await fetch(`${server.base}/admin/model/spleen`, { method: 'DELETE' })).status).toBe(200);
  });

  it('accepts 64 characters of letters, digits, dot, underscore and dash', async () => {
    const name = `Model_v1.2-${'x'.repeat(53)}`;
    expect(name).toHaveLength(64);
    await writePassThroughPlugin(server.workspace);
    const res = await putModel(server.base, name, { config: configPart(pluginConfig()) });
    expect(res.status).toBe(200);
  });
});

describe('admin guard: --admin_hosts or Authorization: Bearer <--admin_token>', () => {
  const token = 'tok-3f9c-never-logged';
  // 127.0.0.1 (the test client) is not an admin host here.
  const server = useTestApp({ adminHosts: '192.0.2.1', adminToken: token });

  beforeAll(async () => {
    await writePassThroughPlugin(server.workspace);
  });

  it('answers 403 without a token, naming the client but never the allowed admin hosts', async () => {
    const res = await fetch(`${server.base}/admin/model`);
    expect(res.status).toBe(403);
    const body = (await res.json()) as ErrorBody;
    expect(body.message).toBe(
      'admin routes answer only to the admin hosts (--admin_hosts) or a valid admin token; client 127.0.0.1: no admin token given',
    );
    expect(body.message).not.toContain('192.0.2.1');
  });

  it('answers 403 to a wrong token and never processes the upload', async () => {
    const res = await putModel(
      server.base,
      'm',
      { config: configPart(GOOD) },
      { headers: { authorization: 'Bearer nope' } },
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).message).toContain('not valid');
    expect(await fs.readdir(path.join(server.workspace, 'models'))).toEqual([]);
  });

  it('lets a valid token through for every admin route', async () => {
    const headers = { authorization: `Bearer ${token}` };
    expect((await putModel(server.base, 'm', { config: configPart(pluginConfig()) }, { headers })).status).toBe(200);
    expect((await fetch(`${server.base}/admin/model`, { headers })).status).toBe(200);
    expect((await fetch(`${server.base}/admin/model/m`, { headers })).status).toBe(200);
    expect((await fetch(`${server.base}/admin/model/m`, { method: 'DELETE', headers })).status).toBe(200);
  });

  it('leaves the other routes open', async () => {
    expect((await fetch(`${server.base}/health`)).status).toBe(200);
  });

  it('never writes the token to the log', async () => {
    const log = await fs.readFile(server.config.logFile, 'utf8');
    expect(log).toContain('403');
    expect(log).not.toContain(token);
  });
});
