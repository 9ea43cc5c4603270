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

async function writeFolder(workspace: string, folder: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [file, data] of Object.entries(files)) {
    const full = path.join(workspace, 'models', folder, file);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, data);
  }
}

interface VersionRow {
  name: string;
  activeVersion: number;
  version: number;
  modelFile: string | null;
  sha256: string;
  configVersion: string;
  engine: string;
  origin: string;
}

function versionRows(server: TestApp): Promise<VersionRow[]> {
  return server.app
    .get(DataSource)
    .query(
      'SELECT m."name", m."activeVersion", v."version", v."modelFile", v."sha256", v."configVersion", v."engine", ' +
        'v."origin" FROM "model" m JOIN "model_version" v ON v."modelId" = m."id" ORDER BY m."name", v."version"',
    );
}

describe('boot: the registry reconciled with <workspace>/models, every active version loaded, failures reported', () => {
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

  const log = (): Promise<string> => fs.readFile(server?.config.logFile ?? '', 'utf8');

  it('registers version folders without rows (the demo models), the highest version of each active', async () => {
    await writeFolder(workspace, 'demo_liver/1', { 'config_aiaa.json': JSON.stringify(CONFIG), 'model.onnx': MODEL });
    await writeFolder(workspace, 'demo_pipeline/1', { 'config_aiaa.json': JSON.stringify(pluginConfig()) });
    await writeFolder(workspace, 'two/1', { 'config_aiaa.json': JSON.stringify({ ...CONFIG, version: 1 }) });
    await writeFolder(workspace, 'two/2', { 'config_aiaa.json': JSON.stringify(CONFIG), 'model.onnx': MODEL });
    server = await startTestApp({}, workspace);
    expect(await versionRows(server)).toEqual([
      {
        name: 'demo_liver',
        activeVersion: 1,
        version: 1,
        modelFile: 'model.onnx',
        sha256: sha256Hex(MODEL),
        configVersion: '4',
        engine: 'AIAA',
        origin: 'folder',
      },
      expect.objectContaining({ name: 'demo_pipeline', version: 1, modelFile: null, configVersion: '1' }),
      expect.objectContaining({ name: 'two', activeVersion: 2, version: 1, modelFile: null }),
      expect.objectContaining({ name: 'two', activeVersion: 2, version: 2, modelFile: 'model.onnx' }),
    ]);
    const runtime = server.app.get(ModelRuntimeService);
    expect(runtime.list().map((m) => [m.info.name, m.info.active_version])).toEqual([
      ['demo_liver', 1],
      ['demo_pipeline', 1],
      ['two', 2],
    ]);
    expect(runtime.get('demo_liver').info).toMatchObject({ labels: ['liver'], type: 'segmentation', version: '4' });
  });

  it("drops a version whose files vanished, reporting it; the model's newest remaining version then serves", async () => {
    server = await startTestApp({}, workspace);
    for (const version of [1, 2]) {
      const res = await putModel(server.base, 'liver', {
        config: configPart({ ...CONFIG, version }),
        data: { data: MODEL, filename: 'model.onnx' },
      });
      expect(res.status).toBe(200);
    }
    expect((await putModel(server.base, 'kept', { config: configPart(pluginConfig()) })).status).toBe(200);
    await server.close();
    await fs.rm(path.join(workspace, 'models', 'liver', '2', 'model.onnx'));
    server = await startTestApp({}, workspace);
    expect((await versionRows(server)).map((r) => [r.name, r.version, r.activeVersion])).toEqual([
      ['kept', 1, 1],
      ['liver', 1, 1],
    ]);
    expect(await log()).toContain('models/liver/2/model.onnx vanished; its registry row is dropped');
    expect(await log()).toMatch(/"event":"model_activated","model":"liver","version":1,"previous":2/);
    expect(server.app.get(ModelRuntimeService).get('liver').info).toMatchObject({ version: '1', active_version: 1 });
    // What is left of version 2 is set aside, out of the version numbers, and stays out on the next boot.
    const left = await fs.readdir(path.join(workspace, 'models', 'liver'));
    expect(left.sort()).toEqual([expect.stringMatching(/^\.incomplete-2-\d+$/), '1']);
    await server.close();
    server = await startTestApp({}, workspace);
    expect((await versionRows(server)).map((r) => [r.name, r.version])).toEqual([
      ['kept', 1],
      ['liver', 1],
    ]);
  });

  it('drops the rows of a model whose whole folder vanished', async () => {
    server = await startTestApp({}, workspace);
    expect((await putModel(server.base, 'gone', { config: configPart(pluginConfig()) })).status).toBe(200);
    await server.close();
    await fs.rm(path.join(workspace, 'models', 'gone'), { recursive: true });
    server = await startTestApp({}, workspace);
    expect((await fetch(`${server.base}/admin/model/gone`)).status).toBe(404);
    expect(await server.app.get(DataSource).query('SELECT * FROM "model"')).toEqual([]);
    expect(await server.app.get(DataSource).query('SELECT * FROM "model_version"')).toEqual([]);
  });

  it('registers a version folder that appeared beside registered versions, leaving the active one serving', async () => {
    server = await startTestApp({}, workspace);
    expect((await putModel(server.base, 'grown', { config: configPart(pluginConfig()) })).status).toBe(200);
    await server.close();
    await writeFolder(workspace, 'grown/5', { 'config_aiaa.json': JSON.stringify(pluginConfig({ version: 5 })) });
    server = await startTestApp({}, workspace);
    expect((await versionRows(server)).map((r) => [r.version, r.activeVersion, r.origin])).toEqual([
      [1, 1, 'upload'],
      [5, 1, 'folder'],
    ]);
    // The next upload takes the number after the highest folder.
    const res = await putModel(server.base, 'grown', { config: configPart(pluginConfig()) });
    expect(await res.json()).toMatchObject({ activeVersion: 6 });
  });

  it('reports folders it cannot take (no config, a bad name, a case twin) and a model that fails to load', async () => {
    await writeFolder(workspace, 'no_config', { 'notes.txt': 'x' });
    await writeFolder(workspace, 'no_config_either/1', { 'notes.txt': 'x' });
    await writeFolder(workspace, 'con/1', { 'config_aiaa.json': JSON.stringify(pluginConfig()) });
    await writeFolder(workspace, 'Good/1', { 'config_aiaa.json': JSON.stringify(CONFIG), 'model.onnx': MODEL });
    await writeFolder(workspace, 'good/1', { 'config_aiaa.json': JSON.stringify(CONFIG), 'model.onnx': MODEL });
    await writeFolder(workspace, 'broken/1', {
      'config_aiaa.json': JSON.stringify({ ...CONFIG, pre_transforms: [{ name: 'NoSuchTransform', args: {} }] }),
    });
    server = await startTestApp({}, workspace);
    expect((await fetch(`${server.base}/health`)).status).toBe(200);
    expect(
      server.app
        .get(ModelRuntimeService)
        .list()
        .map((m) => m.info.name),
    ).toEqual(['Good']);
    const text = await log();
    expect(text).toContain('models/no_config: has no config_aiaa.json and no version folder');
    expect(text).toContain('models/no_config_either/1: could not be registered: no config_aiaa.json');
    expect(text).toContain('models/con: model name \\"con\\"');
    expect(text).toContain("models/good: differs only by case from model 'Good'");
    expect(text).toMatch(/model 'broken' version 1 failed to load and is not served: .*NoSuchTransform/);
    expect(await fs.readdir(path.join(workspace, 'models', 'no_config'))).toEqual(['notes.txt']);
  });

  it('loads registered versions on the engine of this start, except those uploaded with ?native=true', async () => {
    server = await startTestApp({}, workspace);
    const upload = { config: configPart(CONFIG), data: { data: MODEL, filename: 'model.onnx' } };
    expect((await putModel(server.base, 'was_triton', upload)).status).toBe(200);
    expect((await putModel(server.base, 'native_one', upload, { query: '?native=true' })).status).toBe(200);
    // As if the first had been uploaded while the server ran --engine TRITON.
    await server.app.get(DataSource).query(`UPDATE "model_version" SET "engine" = 'TRITON' WHERE "modelId" = 1`);
    await server.close();
    server = await startTestApp({ engine: 'AIAA' }, workspace);
    expect((await versionRows(server)).map((r) => [r.name, r.engine])).toEqual([
      ['native_one', 'native'],
      ['was_triton', 'AIAA'],
    ]);
    const runtime = server.app.get(ModelRuntimeService);
    expect([runtime.get('native_one').engine, runtime.get('was_triton').engine]).toEqual(['native', 'AIAA']);
  });
});
