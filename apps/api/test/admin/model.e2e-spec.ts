import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { TransformContext } from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
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
import { REGISTRY_DATABASES, useRegistryDatabase } from '../support/registry-databases';
import { useTestApp, type TestApp } from '../support/test-app';
import { makeZip } from '../support/zip-writer';

// Real servers, SQLite and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

const MODEL = Buffer.from(buildThresholdSegmenter({ threshold: 0.5 }));

function spleenConfig(version: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version,
    type: 'segmentation',
    labels: ['spleen'],
    description: `threshold segmenter v${version}`,
    pre_transforms: [
      {
        name: 'ScaleIntensityRanged',
        args: { keys: 'image', a_min: -100, a_max: 300, b_min: 0, b_max: 1, clip: true },
      },
    ],
    inference: { input: 'image', output: 'model' },
    ...extra,
  };
}

interface Summary {
  name: string;
  type: string;
  version: string;
  labels: string[];
  engine: string;
  modelFile?: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  updatedAt: string;
  loaded: boolean;
}

interface Row {
  name: string;
  activeVersion: number;
  /** The active version's number and its config's own `version`. */
  number: number;
  version: string;
  engine: string;
  modelFile: string | null;
  sha256: string;
  sizeBytes: number;
  config: string;
}

/** Each model with its active version's row, read straight from the tables. */
async function rows(server: TestApp): Promise<Row[]> {
  return server.app
    .get(DataSource)
    .query(
      'SELECT m."name", m."activeVersion", v."version" AS "number", v."configVersion" AS "version", v."engine", ' +
        'v."modelFile", v."sha256", v."sizeBytes", v."config" FROM "model" m JOIN "model_version" v ' +
        'ON v."modelId" = m."id" AND v."version" = m."activeVersion" ORDER BY m."name"',
    );
}

async function listing(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { recursive: true })).map(String).sort();
  } catch {
    return [];
  }
}

describe.each(REGISTRY_DATABASES)(
  'PUT/GET/DELETE /admin/model (real app, real %s registry, real multipart on 127.0.0.1)',
  (dialect) => {
    const database = useRegistryDatabase(dialect);
    const server = useTestApp(() => database());

    beforeAll(async () => {
      await writePassThroughPlugin(server.workspace);
    });

    it('installs config + data as version 1: 200 with the summary, files in models/<name>/1/, a row, model loaded', async () => {
      const config = configPart(spleenConfig(2));
      const res = await putModel(server.base, 'spleen', { config, data: { data: MODEL, filename: 'model.onnx' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).not.toBeNull();
      const body = (await res.json()) as Summary;
      expect(body).toMatchObject({ name: 'spleen', type: 'segmentation', version: '2', labels: ['spleen'] });
      expect(body).toMatchObject({ activeVersion: 1, versions: [1] });
      expect(body).toMatchObject({ engine: 'AIAA', modelFile: 'model.onnx', loaded: true, sha256: sha256Hex(MODEL) });
      expect(body.sizeBytes).toBe(MODEL.length + Buffer.byteLength(config.data as string));

      const dir = path.join(server.workspace, 'models', 'spleen', '1');
      expect(await listing(dir)).toEqual(['config_aiaa.json', 'model.onnx', 'version.json']);
      expect(sha256Hex(await fs.readFile(path.join(dir, 'model.onnx')))).toBe(sha256Hex(MODEL));
      expect(await fs.readFile(path.join(dir, 'config_aiaa.json'), 'utf8')).toBe(config.data);
      const [row, ...others] = await rows(server);
      expect(others).toHaveLength(0);
      expect(row).toMatchObject({ name: 'spleen', activeVersion: 1, number: 1, version: '2', engine: 'AIAA' });
      expect(row).toMatchObject({ modelFile: 'model.onnx', sha256: sha256Hex(MODEL) });
      expect(row?.config).toBe(config.data);
      expect(server.app.get(ModelRuntimeService).get('spleen').info).toMatchObject({
        name: 'spleen',
        version: '2',
        active_version: 1,
      });
      expect(await listing(server.config.stagingDir)).toEqual([]);
    });

    it('serves the uploaded network: window [-100, 300] → [0, 1], then the two-channel logits x - 0.5', async () => {
      const ctx = new TransformContext({ images: [['image', makeImage(Float32Array.of(-100, 300), [1, 1, 2])]] });
      const result = await server.app.get(ModelRuntimeService).get('spleen').run(ctx);
      const output = result.ctx.getImage('model');
      expect(output.shape).toEqual([2, 1, 1, 2]);
      expect(Array.from(output.voxels)).toEqual([0.5, -0.5, -0.5, 0.5]);
      expect(result.timingsMs['inference']).toBeGreaterThanOrEqual(0);
    });

    it('GET /admin/model/{name} answers the config as stored with the versions; GET /admin/model lists every model', async () => {
      const one = await fetch(`${server.base}/admin/model/spleen`);
      expect(one.status).toBe(200);
      expect(await one.json()).toEqual({ ...spleenConfig(2), active_version: 1, versions: [1] });
      const all = await fetch(`${server.base}/admin/model`);
      expect(all.status).toBe(200);
      const list = (await all.json()) as Summary[];
      expect(list.map((m) => [m.name, m.version, m.loaded])).toEqual([['spleen', '2', true]]);
    });

    it('a second PUT adds version 2 and serves it: files, rows and loaded model agree, version 1 is kept', async () => {
      const before = ((await (await fetch(`${server.base}/admin/model`)).json()) as Summary[])[0];
      const res = await putModel(server.base, 'spleen', {
        config: configPart(spleenConfig(3)),
        data: { data: MODEL, filename: 'model.onnx' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Summary;
      expect(body).toMatchObject({ version: '3', activeVersion: 2, versions: [1, 2] });
      expect(body.createdAt).toBe(before?.createdAt);
      const stored = await fetch(`${server.base}/admin/model/spleen`).then((r) => r.json());
      expect(stored).toEqual({ ...spleenConfig(3), active_version: 2, versions: [1, 2] });
      const first = await fetch(`${server.base}/admin/model/spleen?version=1`).then((r) => r.json());
      expect(first).toEqual({ ...spleenConfig(2), active_version: 2, versions: [1, 2] });
      expect((await rows(server)).map((r) => [r.name, r.number, r.version])).toEqual([['spleen', 2, '3']]);
      expect(server.app.get(ModelRuntimeService).get('spleen').info).toMatchObject({ version: '3', active_version: 2 });
      expect(await listing(path.join(server.workspace, 'models', 'spleen'))).toEqual([
        '1',
        '1/config_aiaa.json',
        '1/model.onnx',
        '1/version.json',
        '2',
        '2/config_aiaa.json',
        '2/model.onnx',
        '2/version.json',
      ]);
      expect(await listing(server.config.stagingDir)).toEqual([]);
    });

    it('?native=true records the native engine', async () => {
      const res = await putModel(
        server.base,
        'spleen_native',
        { config: configPart(spleenConfig(1)), data: { data: MODEL, filename: 'model.onnx' } },
        { query: '?native=true' },
      );
      expect(res.status).toBe(200);
      expect(((await res.json()) as Summary).engine).toBe('native');
      expect(server.app.get(ModelRuntimeService).get('spleen_native').engine).toBe('native');
    });

    it('accepts config alone (a pipeline or plugin model): no model file, sha256 of the config', async () => {
      const config = configPart(pluginConfig({ version: 1, description: 'config only' }));
      const res = await putModel(server.base, 'config_only', { config });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Summary;
      expect(body.modelFile).toBeUndefined();
      expect(body.sha256).toBe(sha256Hex(config.data));
      expect(await listing(path.join(server.workspace, 'models', 'config_only', '1'))).toEqual([
        'config_aiaa.json',
        'version.json',
      ]);
    });

    it('accepts the config as a plain text field too', async () => {
      const res = await putModel(server.base, 'config_field', {
        config: JSON.stringify(pluginConfig({ version: 5, labels: ['x'] })),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Summary).version).toBe('5');
    });

    it('installs a zip bundle (config/config_aiaa.json + models/model.onnx), also inside one top folder', async () => {
      for (const [name, prefix] of [
        ['bundle', ''],
        ['bundle_nested', 'spleen_mmar/'],
      ] as const) {
        const zip = makeZip([
          { name: `${prefix}config/config_aiaa.json`, data: JSON.stringify(spleenConfig(7)) },
          { name: `${prefix}models/model.onnx`, data: MODEL },
          { name: `${prefix}docs/README.md`, data: 'not extracted' },
        ]);
        const res = await putModel(server.base, name, { data: { data: zip, filename: 'spleen_mmar.zip' } });
        expect(res.status).toBe(200);
        const body = (await res.json()) as Summary;
        expect(body).toMatchObject({
          version: '7',
          modelFile: 'models/model.onnx',
          sha256: sha256Hex(MODEL),
          loaded: true,
        });
        const dir = path.join(server.workspace, 'models', name, '1');
        expect(await listing(dir)).toEqual(['config_aiaa.json', 'models', 'models/model.onnx', 'version.json']);
        expect(JSON.parse(await fs.readFile(path.join(dir, 'config_aiaa.json'), 'utf8'))).toEqual(spleenConfig(7));
      }
    });

    it('takes a config part over the config inside a bundle sent with it (deflated entries too)', async () => {
      const zip = makeZip([
        { name: 'config/config_aiaa.json', data: JSON.stringify(spleenConfig(8)), deflate: true },
        { name: 'models/model.onnx', data: MODEL, deflate: true },
      ]);
      const res = await putModel(server.base, 'bundle_override', {
        config: configPart(spleenConfig(9)),
        data: { data: zip, filename: 'spleen_mmar.zip' },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Summary).version).toBe('9');
      expect(await fetch(`${server.base}/admin/model/bundle_override`).then((r) => r.json())).toMatchObject(
        spleenConfig(9),
      );
      const stored = await fs.readFile(
        path.join(server.workspace, 'models', 'bundle_override', '1', 'models', 'model.onnx'),
      );
      expect(sha256Hex(stored)).toBe(sha256Hex(MODEL));
    });

    it('DELETE unloads the model, removes its folder and its row; a second DELETE is 404', async () => {
      const res = await fetch(`${server.base}/admin/model/bundle`, { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Summary).name).toBe('bundle');
      expect(await listing(path.join(server.workspace, 'models', 'bundle'))).toEqual([]);
      expect((await rows(server)).map((r) => r.name)).not.toContain('bundle');
      expect(server.app.get(ModelRuntimeService).has('bundle')).toBe(false);
      expect((await fetch(`${server.base}/admin/model/bundle`)).status).toBe(404);
      const again = await fetch(`${server.base}/admin/model/bundle`, { method: 'DELETE' });
      expect(again.status).toBe(404);
      expect(((await again.json()) as ErrorBody).message).toContain("'bundle'");
    });

    it('concurrent PUTs of different models all land; concurrent PUTs of one model leave files, row and runtime agreeing', async () => {
      const upload = (version: number) => ({
        config: configPart(spleenConfig(version)),
        data: { data: MODEL, filename: 'model.onnx' },
      });
      const names = ['c1', 'c2', 'c3', 'c4'];
      const different = await Promise.all(names.map((name, i) => putModel(server.base, name, upload(i + 1))));
      expect(different.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const same = await Promise.all([11, 12, 13].map((v) => putModel(server.base, 'c1', upload(v))));
      expect(same.map((r) => r.status)).toEqual([200, 200, 200]);
      const row = (await rows(server)).find((r) => r.name === 'c1');
      // Four versions came; --keep_versions 3 keeps the active one and the two before it.
      expect(await listing(path.join(server.workspace, 'models', 'c1'))).toEqual(
        [2, 3, 4].flatMap((n) => [`${n}`, `${n}/config_aiaa.json`, `${n}/model.onnx`, `${n}/version.json`]),
      );
      const stored = JSON.parse(
        await fs.readFile(path.join(server.workspace, 'models', 'c1', String(row?.number), 'config_aiaa.json'), 'utf8'),
      );
      const loaded = server.app.get(ModelRuntimeService).get('c1').info;
      expect(row?.number).toBe(4);
      expect([row?.version, String(stored.version), loaded.version]).toEqual([
        loaded.version,
        loaded.version,
        loaded.version,
      ]);
      expect(loaded.active_version).toBe(4);
      expect((await rows(server)).filter((r) => names.includes(r.name)).map((r) => r.name)).toEqual(names);
      expect(await listing(server.config.stagingDir)).toEqual([]);
    });

    it('the registry survives a restart: rows, files and loaded models come back', async () => {
      const before = await rows(server);
      await server.restart();
      expect(await rows(server)).toEqual(before);
      const list = (await (await fetch(`${server.base}/admin/model`)).json()) as Summary[];
      expect(list.every((m) => m.loaded)).toBe(true);
      expect(server.app.get(ModelRuntimeService).get('spleen').info).toMatchObject({ version: '3', active_version: 2 });
    });
  },
);
