import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { ModelRuntimeService } from '../../src/runtime/model-runtime.service';
import { configPart, pluginConfig, putModel, sha256Hex, writePassThroughPlugin } from '../support/admin-client';
import { makeWorkspace, removeWorkspace, startTestApp, type TestApp } from '../support/test-app';

// Real servers, SQLite and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

const MODEL = Buffer.from(buildThresholdSegmenter({ threshold: 0.5 }));
const CONFIG = { version: 4, type: 'segmentation', labels: ['liver'], description: 'demo' };

async function writeFolder(workspace: string, name: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [file, data] of Object.entries(files)) {
    const full = path.join(workspace, 'models', name, file);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, data);
  }
}

describe('boot: the registry reconciled with <workspace>/models, every model loaded, failures reported', () => {
  let workspace: string;
  let server: TestApp | undefined;

  beforeEach(async () => {
    workspace = await makeWorkspace();
    await writePassThroughPlugin(workspace);
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await removeWorkspace(workspace);
  });

  it('registers and loads folders with a config_aiaa.json but no row (the demo models)', async () => {
    await writeFolder(workspace, 'demo_liver', { 'config_aiaa.json': JSON.stringify(CONFIG), 'model.onnx': MODEL });
    await writeFolder(workspace, 'demo_pipeline', { 'config_aiaa.json': JSON.stringify(pluginConfig()) });
    server = await startTestApp({}, workspace);
    const rows: { name: string; modelFile: string | null; sha256: string; version: string }[] = await server.app
      .get(DataSource)
      .query('SELECT "name", "modelFile", "sha256", "version" FROM "model" ORDER BY "name"');
    expect(rows).toEqual([
      { name: 'demo_liver', modelFile: 'model.onnx', sha256: sha256Hex(MODEL), version: '4' },
      { name: 'demo_pipeline', modelFile: null, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), version: '1' },
    ]);
    const runtime = server.app.get(ModelRuntimeService);
    expect(runtime.list().map((m) => m.info.name)).toEqual(['demo_liver', 'demo_pipeline']);
    expect(runtime.get('demo_liver').info).toMatchObject({ labels: ['liver'], type: 'segmentation', version: '4' });
  });

  it('drops rows whose files vanished, reporting them, and keeps serving the others', async () => {
    server = await startTestApp({}, workspace);
    for (const name of ['kept', 'vanished']) {
      const res = await putModel(server.base, name, {
        config: configPart(CONFIG),
        data: { data: MODEL, filename: 'model.onnx' },
      });
      expect(res.status).toBe(200);
    }
    await server.close();
    await fs.rm(path.join(workspace, 'models', 'vanished', 'model.onnx'));
    server = await startTestApp({}, workspace);
    const names = ((await (await fetch(`${server.base}/admin/model`)).json()) as { name: string }[]).map((m) => m.name);
    // The folder is still there with its config, so it comes back as a folder without its model file: config only.
    expect(names).toContain('kept');
    const log = await fs.readFile(server.config.logFile, 'utf8');
    expect(log).toContain("model 'vanished': models/vanished/model.onnx vanished");
    expect(server.app.get(ModelRuntimeService).has('kept')).toBe(true);
  });

  it('drops the row of a model whose whole folder vanished', async () => {
    server = await startTestApp({}, workspace);
    expect((await putModel(server.base, 'gone', { config: configPart(pluginConfig()) })).status).toBe(200);
    await server.close();
    await fs.rm(path.join(workspace, 'models', 'gone'), { recursive: true });
    server = await startTestApp({}, workspace);
    expect((await fetch(`${server.base}/admin/model/gone`)).status).toBe(404);
    expect(await server.app.get(DataSource).query('SELECT * FROM "model"')).toEqual([]);
  });

  it('reports a folder without a config (left alone) and a model that fails to load (not fatal)', async () => {
    await writeFolder(workspace, 'no_config', { 'notes.txt': 'x' });
    await writeFolder(workspace, 'broken', {
      'config_aiaa.json': JSON.stringify({ ...CONFIG, pre_transforms: [{ name: 'NoSuchTransform', args: {} }] }),
    });
    await writeFolder(workspace, 'good', { 'config_aiaa.json': JSON.stringify(CONFIG), 'model.onnx': MODEL });
    server = await startTestApp({}, workspace);
    expect((await fetch(`${server.base}/health`)).status).toBe(200);
    const runtime = server.app.get(ModelRuntimeService);
    expect(runtime.list().map((m) => m.info.name)).toEqual(['good']);
    const log = await fs.readFile(server.config.logFile, 'utf8');
    expect(log).toContain('models/no_config has no config_aiaa.json');
    expect(log).toMatch(/model 'broken' failed to load and is not served: .*NoSuchTransform/);
    expect(await fs.readdir(path.join(workspace, 'models', 'no_config'))).toEqual(['notes.txt']);
  });

  it('loads registered models on the engine of this start, except those uploaded with ?native=true', async () => {
    server = await startTestApp({}, workspace);
    const upload = { config: configPart(CONFIG), data: { data: MODEL, filename: 'model.onnx' } };
    expect((await putModel(server.base, 'was_triton', upload)).status).toBe(200);
    expect((await putModel(server.base, 'native_one', upload, { query: '?native=true' })).status).toBe(200);
    // As if the first had been uploaded while the server ran --engine TRITON.
    await server.app.get(DataSource).query(`UPDATE "model" SET "engine" = 'TRITON' WHERE "name" = 'was_triton'`);
    await server.close();
    server = await startTestApp({ engine: 'AIAA' }, workspace);
    const rows: { name: string; engine: string }[] = await server.app
      .get(DataSource)
      .query('SELECT "name", "engine" FROM "model" ORDER BY "name"');
    expect(rows).toEqual([
      { name: 'native_one', engine: 'native' },
      { name: 'was_triton', engine: 'AIAA' },
    ]);
    const runtime = server.app.get(ModelRuntimeService);
    expect([runtime.get('native_one').engine, runtime.get('was_triton').engine]).toEqual(['native', 'AIAA']);
  });

  it('clears staging left by an interrupted upload, restoring a version it had moved aside', async () => {
    server = await startTestApp({}, workspace);
    expect((await putModel(server.base, 'spleen', { config: configPart(pluginConfig()) })).status).toBe(200);
    await server.close();
    // An upload interrupted between moving the old folder aside and moving the new one in.
    const staged = path.join(workspace, 'staging', 'interrupted');
    await fs.mkdir(staged, { recursive: true });
    await fs.writeFile(path.join(staged, 'restore.json'), JSON.stringify({ name: 'spleen' }));
    await fs.rename(path.join(workspace, 'models', 'spleen'), path.join(staged, 'previous'));
    await fs.mkdir(path.join(workspace, 'staging', 'half-upload'));
    server = await startTestApp({}, workspace);
    expect(await fs.readdir(path.join(workspace, 'staging'))).toEqual([]);
    expect(await fs.readdir(path.join(workspace, 'models', 'spleen'))).toEqual(['config_aiaa.json']);
    expect(server.app.get(ModelRuntimeService).has('spleen')).toBe(true);
  });
});
