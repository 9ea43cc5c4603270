import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { PENDING_MARKER, TRASH_MARKER } from '../../src/admin/model-folders';
import { sendPyMultipart } from '../support/inference-helpers';
import { configPart, putModel } from '../support/admin-client';
import { makeWorkspace, removeWorkspace, startTestApp, type TestApp } from '../support/test-app';
import {
  EXPECTED_MASK,
  THRESHOLD_ONNX,
  datapoint,
  listing,
  maskOf,
  registryState,
  sha256Hex,
  thresholdConfig,
} from '../support/hardening-support';

jest.setTimeout(60_000);

/** Another version's network: different bytes, so the files on disk tell which version they are. */
const NEW_ONNX = Buffer.from(buildThresholdSegmenter({ threshold: 0.3 }));

// The windows a kill -9 rarely hits, laid out by hand exactly as the registry leaves them there: a version folder
// moved into models/ before its row committed, a folder moved to trash before its row delete committed, and after.
describe('boot after a kill inside a registry write: one active, complete version, rows matching the files', () => {
  let workspace: string;
  let t: TestApp | undefined;

  beforeEach(async () => {
    workspace = await makeWorkspace();
    t = await startTestApp({}, workspace);
    for (const version of [1, 2]) {
      const res = await putModel(t.base, 'spleen', {
        config: configPart(thresholdConfig(version)),
        data: { data: THRESHOLD_ONNX, filename: 'model.onnx' },
      });
      expect(res.status).toBe(200);
    }
    await t.close();
    t = undefined;
  });

  afterEach(async () => {
    await t?.close();
    t = undefined;
    await removeWorkspace(workspace);
  });

  const models = (...parts: string[]): string => path.join(workspace, 'models', ...parts);

  /** A staging folder with a marker, as an interrupted write leaves it. */
  async function staged(marker: string, content: unknown): Promise<string> {
    const dir = path.join(workspace, 'staging', `req-${marker.replace('.json', '')}`);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, marker), JSON.stringify(content));
    return dir;
  }

  async function boot(): Promise<TestApp> {
    t = await startTestApp({}, workspace);
    expect(await listing(t.config.stagingDir)).toEqual([]);
    const state = await registryState(t.base, workspace);
    expect(state.hashMismatches).toEqual([]);
    const reply = await sendPyMultipart('POST', `${t.base}/v1/segmentation?model=spleen`, { params: '{}' }, [
      datapoint(),
    ]);
    expect(maskOf(reply)).toEqual(EXPECTED_MASK);
    return t;
  }

  async function versions(app: TestApp): Promise<[number, number[]]> {
    const body = (await (await fetch(`${app.base}/admin/model/spleen`)).json()) as {
      active_version: number;
      versions: number[];
    };
    return [body.active_version, body.versions];
  }

  it('an upload whose folder moved in but whose row did not commit: the folder goes, version 2 serves', async () => {
    await staged(PENDING_MARKER, { name: 'spleen', version: 3 });
    await fs.mkdir(models('spleen', '3'));
    await fs.writeFile(models('spleen', '3', 'config_aiaa.json'), JSON.stringify(thresholdConfig(3)));
    await fs.writeFile(models('spleen', '3', 'model.onnx'), NEW_ONNX);
    const app = await boot();
    expect(await versions(app)).toEqual([2, [1, 2]]);
    expect((await fs.readdir(models('spleen'))).sort()).toEqual(['1', '2']);
  });

  it("a new model's first upload that did not commit: no folder, no model", async () => {
    await staged(PENDING_MARKER, { name: 'fresh', version: 1 });
    await fs.mkdir(models('fresh', '1'), { recursive: true });
    await fs.writeFile(models('fresh', '1', 'config_aiaa.json'), JSON.stringify(thresholdConfig(1)));
    await fs.writeFile(models('fresh', '1', 'model.onnx'), NEW_ONNX);
    const app = await boot();
    expect((await fetch(`${app.base}/admin/model/fresh`)).status).toBe(404);
    expect(await fs.readdir(models())).toEqual(['spleen']);
  });

  it('an upload that committed before the kill: kept and active', async () => {
    // Version 2's own upload, stopped after its commit: the marker is still in staging.
    await staged(PENDING_MARKER, { name: 'spleen', version: 2 });
    const app = await boot();
    expect(await versions(app)).toEqual([2, [1, 2]]);
  });

  it('a version delete (or prune) whose row delete did not commit: the folder comes back', async () => {
    const dir = await staged(TRASH_MARKER, { name: 'spleen', version: 1 });
    await fs.rename(models('spleen', '1'), path.join(dir, 'content'));
    const app = await boot();
    expect(await versions(app)).toEqual([2, [1, 2]]);
    expect(sha256Hex(await fs.readFile(models('spleen', '1', 'model.onnx')))).toBe(sha256Hex(THRESHOLD_ONNX));
  });

  it('a model delete whose rows were not deleted: the whole model comes back and serves', async () => {
    const dir = await staged(TRASH_MARKER, { name: 'spleen' });
    await fs.rename(models('spleen'), path.join(dir, 'content'));
    const app = await boot();
    expect(await versions(app)).toEqual([2, [1, 2]]);
  });

  it('a version delete that committed: the trash goes, and so does the version', async () => {
    // Stopped after the commit and before the trash was emptied: no row is left for version 1.
    t = await startTestApp({}, workspace);
    expect((await fetch(`${t.base}/admin/model/spleen?version=1`, { method: 'DELETE' })).status).toBe(200);
    await t.close();
    t = undefined;
    const dir = await staged(TRASH_MARKER, { name: 'spleen', version: 1 });
    await fs.mkdir(path.join(dir, 'content'));
    await fs.writeFile(path.join(dir, 'content', 'model.onnx'), THRESHOLD_ONNX);
    const app = await boot();
    expect(await versions(app)).toEqual([2, [2]]);
    expect(await fs.readdir(models('spleen'))).toEqual(['2']);
  });

  it("the single-version layout's interrupted replace (a folder moved aside): put back, then moved to a version", async () => {
    // A workspace left by the older server mid-replace: its model folder aside in staging, nothing in its place.
    t = await startTestApp({}, workspace);
    expect((await fetch(`${t.base}/admin/model/spleen`, { method: 'DELETE' })).status).toBe(200);
    await t.close();
    t = undefined;
    const dir = await staged('restore.json', { name: 'spleen' });
    await fs.mkdir(path.join(dir, 'previous'));
    await fs.writeFile(path.join(dir, 'previous', 'config_aiaa.json'), JSON.stringify(thresholdConfig(1)));
    await fs.writeFile(path.join(dir, 'previous', 'model.onnx'), THRESHOLD_ONNX);
    const app = await boot();
    expect(await versions(app)).toEqual([1, [1]]);
    expect(await listing(models('spleen'))).toEqual(['1', '1/config_aiaa.json', '1/model.onnx']);
  });
});
