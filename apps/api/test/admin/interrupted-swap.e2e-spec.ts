import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { configPart, putModel } from '../support/admin-client';
import { makeWorkspace, removeWorkspace, startTestApp, type TestApp } from '../support/test-app';
import { THRESHOLD_ONNX, listing, registryState, sha256Hex, thresholdConfig } from '../support/hardening-support';

jest.setTimeout(60_000);

/** The version an upload was swapping in: different bytes, so the files on disk tell which version they are. */
const NEW_ONNX = Buffer.from(buildThresholdSegmenter({ threshold: 0.3 }));

// The one window a kill -9 rarely hits: the new folder is in models/, the old one in staging, the row not yet
// committed. The state is laid out by hand, as the registry leaves it there (restore.json + previous/).
describe('boot after a kill between moving the new version in and committing its row', () => {
  let workspace: string;
  let t: TestApp | undefined;

  beforeEach(async () => {
    workspace = await makeWorkspace();
  });

  afterEach(async () => {
    await t?.close();
    t = undefined;
    await removeWorkspace(workspace);
  });

  it('serves the committed (old) version, with files that match its row', async () => {
    t = await startTestApp({}, workspace);
    const res = await putModel(t.base, 'spleen', {
      config: configPart(thresholdConfig(1)),
      data: { data: THRESHOLD_ONNX, filename: 'model.onnx' },
    });
    expect(res.status).toBe(200);
    await t.close();
    t = undefined;
    const staged = path.join(workspace, 'staging', 'interrupted');
    await fs.mkdir(staged, { recursive: true });
    await fs.writeFile(path.join(staged, 'restore.json'), JSON.stringify({ name: 'spleen' }));
    await fs.rename(path.join(workspace, 'models', 'spleen'), path.join(staged, 'previous'));
    await fs.mkdir(path.join(workspace, 'models', 'spleen'));
    await fs.writeFile(
      path.join(workspace, 'models', 'spleen', 'config_aiaa.json'),
      JSON.stringify(thresholdConfig(2)),
    );
    await fs.writeFile(path.join(workspace, 'models', 'spleen', 'model.onnx'), NEW_ONNX);

    t = await startTestApp({}, workspace);
    expect(await listing(t.config.stagingDir)).toEqual([]);
    const state = await registryState(t.base, workspace);
    expect(state.rows.map((r) => `${r.name}@${r.version}`)).toEqual(['spleen@1']);
    expect(state.hashMismatches).toEqual([]);
    expect(sha256Hex(await fs.readFile(path.join(workspace, 'models', 'spleen', 'model.onnx')))).toBe(
      sha256Hex(THRESHOLD_ONNX),
    );
  });
});
