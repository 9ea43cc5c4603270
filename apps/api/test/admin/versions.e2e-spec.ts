import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { errorMessage, sendPyMultipart, type RawReply } from '../support/inference-helpers';
import { configPart, putModel, sha256Hex, type ErrorBody } from '../support/admin-client';
import {
  EXPECTED_MASK,
  THRESHOLD_ONNX,
  datapoint,
  listing,
  maskOf,
  thresholdConfig,
  waitFor,
} from '../support/hardening-support';
import { scrape } from '../support/prometheus';
import { REGISTRY_DATABASES, useRegistryDatabase } from '../support/registry-databases';
import { useTestApp } from '../support/test-app';

jest.setTimeout(60_000);

/** Version 2 of the threshold model: the window [0, 1000] puts the CT's 100 at 0.1, below the threshold: no mask. */
function dimConfig(): Record<string, unknown> {
  const config = thresholdConfig(2);
  return {
    ...config,
    pre_transforms: [
      { name: 'ScaleIntensityRanged', args: { keys: 'image', a_min: 0, a_max: 1000, b_min: 0, b_max: 1, clip: true } },
    ],
  };
}
const NO_MASK = EXPECTED_MASK.map(() => 0);

interface VersionEntry {
  version: number;
  active: boolean;
  configVersion: string;
  sha256: string;
  sizeBytes: number;
  createdAt: string;
  origin: string;
  clientAddress?: string;
  clientAuth?: string;
  sourceFile?: string;
  modelFile?: string;
}

const put = (base: string, name: string, config: unknown, filename = 'model.onnx'): Promise<Response> =>
  putModel(base, name, { config: configPart(config), data: { data: THRESHOLD_ONNX, filename } });

const activate = (base: string, name: string, body: unknown): Promise<Response> =>
  fetch(`${base}/admin/model/${name}/active`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

async function versionsOf(base: string, name: string): Promise<{ activeVersion: number; versions: VersionEntry[] }> {
  const res = await fetch(`${base}/admin/model/${name}/versions`);
  expect(res.status).toBe(200);
  return (await res.json()) as { activeVersion: number; versions: VersionEntry[] };
}

async function segment(base: string, model: string): Promise<RawReply> {
  return sendPyMultipart('POST', `${base}/v1/segmentation?model=${model}`, { params: '{}' }, [datapoint()]);
}

describe.each(REGISTRY_DATABASES)(
  'model versions on %s: every PUT adds one, one serves, any kept one can be made active',
  (dialect) => {
    const database = useRegistryDatabase(dialect);
    const t = useTestApp(() => ({ ...database(), keepVersions: 3 }));

    it('lists the versions newest first with sha256, size, time and who sent them from where', async () => {
      expect((await put(t.base, 'spleen', thresholdConfig(1), 'model.pt')).status).toBe(200);
      expect((await put(t.base, 'spleen', dimConfig())).status).toBe(200);
      const { activeVersion, versions } = await versionsOf(t.base, 'spleen');
      expect(activeVersion).toBe(2);
      expect(versions.map((v) => [v.version, v.active, v.configVersion])).toEqual([
        [2, true, '2'],
        [1, false, '1'],
      ]);
      for (const v of versions) {
        expect(v).toMatchObject({ origin: 'upload', clientAddress: '127.0.0.1', clientAuth: 'admin_hosts' });
        expect(v.sha256).toBe(sha256Hex(THRESHOLD_ONNX));
        expect(Date.now() - Date.parse(v.createdAt)).toBeLessThan(60_000);
      }
      // The client called version 1's ONNX file model.pt: it is stored as model.onnx, the name recorded.
      expect(versions[1]).toMatchObject({ sourceFile: 'model.pt', modelFile: 'model.onnx' });
      const stored = await fs.readFile(path.join(t.workspace, 'models', 'spleen', '1', 'model.onnx'));
      expect(sha256Hex(stored)).toBe(sha256Hex(THRESHOLD_ONNX));
      const config = JSON.stringify(thresholdConfig(1), null, 2);
      expect(versions[1]?.sizeBytes).toBe(THRESHOLD_ONNX.length + Buffer.byteLength(config));
    });

    it('serves the active version, and the version activated next: v2 masks nothing, v1 the block', async () => {
      expect(maskOf(await segment(t.base, 'spleen'))).toEqual(NO_MASK);
      const res = await activate(t.base, 'spleen', { version: 1 });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ name: 'spleen', activeVersion: 1, version: '1', versions: [1, 2] });
      expect(maskOf(await segment(t.base, 'spleen'))).toEqual(EXPECTED_MASK);
      const listed = (await (await fetch(`${t.base}/v1/models?model=spleen`)).json()) as Record<string, unknown>;
      expect(listed).toMatchObject({ name: 'spleen', version: '1', active_version: 1 });
      // MONAI Label's clients read the same active version in /info/.
      const info = (await (await fetch(`${t.base}/info/`)).json()) as { models: Record<string, unknown> };
      expect(info.models['spleen']).toMatchObject({ type: 'segmentation', version: 1 });
      expect((await versionsOf(t.base, 'spleen')).versions.map((v) => [v.version, v.active])).toEqual([
        [2, false],
        [1, true],
      ]);
      const config = (await (await fetch(`${t.base}/admin/model/spleen`)).json()) as Record<string, unknown>;
      expect(config).toMatchObject({ version: 1, active_version: 1, versions: [1, 2] });
    });

    it('the active version survives a restart', async () => {
      await t.restart();
      expect(maskOf(await segment(t.base, 'spleen'))).toEqual(EXPECTED_MASK);
      expect((await versionsOf(t.base, 'spleen')).activeVersion).toBe(1);
    });

    it('deletes an inactive version (row and folder); the active one is a 409, an unknown one a 404', async () => {
      const active = await fetch(`${t.base}/admin/model/spleen?version=1`, { method: 'DELETE' });
      expect(active.status).toBe(409);
      expect(((await active.json()) as ErrorBody).message).toContain('version 1 is active');
      const unknown = await fetch(`${t.base}/admin/model/spleen?version=7`, { method: 'DELETE' });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as ErrorBody).message).toContain('kept: 1, 2');
      const res = await fetch(`${t.base}/admin/model/spleen?version=2`, { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ version: 2, active: false });
      expect(await fs.readdir(path.join(t.workspace, 'models', 'spleen'))).toEqual(['1']);
      const rows: unknown[] = await t.app.get(DataSource).query('SELECT "version" FROM "model_version"');
      expect(rows).toEqual([{ version: 1 }]);
      expect(maskOf(await segment(t.base, 'spleen'))).toEqual(EXPECTED_MASK);
    });

    it('never reuses a number: after version 2 was deleted, the next upload is version 3', async () => {
      const res = await put(t.base, 'spleen', dimConfig());
      expect(((await res.json()) as { activeVersion: number }).activeVersion).toBe(3);
      expect(await fs.readdir(path.join(t.workspace, 'models', 'spleen'))).toEqual(['1', '3']);
    });

    it('keeps --keep_versions versions: the oldest inactive ones go, never the active one', async () => {
      // Make version 1 active, then upload two more: 1 (active), 3, 4, 5 would be four; the oldest inactive (3) goes.
      expect((await activate(t.base, 'spleen', { version: 1 })).status).toBe(200);
      expect((await put(t.base, 'spleen', dimConfig())).status).toBe(200);
      expect((await versionsOf(t.base, 'spleen')).versions.map((v) => v.version)).toEqual([4, 3, 1]);
      expect((await put(t.base, 'spleen', thresholdConfig(5))).status).toBe(200);
      const { activeVersion, versions } = await versionsOf(t.base, 'spleen');
      expect([activeVersion, versions.map((v) => v.version)]).toEqual([5, [5, 4, 3]]);
      expect((await fs.readdir(path.join(t.workspace, 'models', 'spleen'))).sort()).toEqual(['3', '4', '5']);
      expect(await listing(t.config.stagingDir)).toEqual([]);
    });

    it('activating the active version changes and reloads nothing', async () => {
      const log = (): Promise<string> => fs.readFile(t.config.logFile, 'utf8');
      const loadsBefore = (await log()).split('"event":"model_loaded"').length;
      const res = await activate(t.base, 'spleen', { version: 5 });
      expect(res.status).toBe(200);
      expect((await log()).split('"event":"model_loaded"').length).toBe(loadsBefore);
    });

    it('DELETE /admin/model/{name} removes every version', async () => {
      expect((await fetch(`${t.base}/admin/model/spleen`, { method: 'DELETE' })).status).toBe(200);
      expect(await listing(path.join(t.workspace, 'models'))).toEqual([]);
      expect(await t.app.get(DataSource).query('SELECT * FROM "model_version"')).toEqual([]);
      expect((await fetch(`${t.base}/admin/model/spleen/versions`)).status).toBe(404);
    });
  },
);

describe.each(REGISTRY_DATABASES)('model version requests that are wrong, on %s', (dialect) => {
  const database = useRegistryDatabase(dialect);
  const t = useTestApp(() => database());

  beforeAll(async () => {
    expect((await put(t.base, 'liver', thresholdConfig(1))).status).toBe(200);
  });

  it.each([
    ['a string', { version: 'two' }],
    ['zero', { version: 0 }],
    ['a fraction', { version: 1.5 }],
    ['no version', {}],
  ])('PUT …/active with %s is a 400 naming version', async (_label, body) => {
    const res = await activate(t.base, 'liver', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).message).toContain('version');
  });

  it('PUT …/active with a version that is not kept is a 404 listing the kept ones; nothing changes', async () => {
    const res = await activate(t.base, 'liver', { version: 9 });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).message).toBe("model 'liver' has no version 9 (kept: 1)");
    expect(maskOf(await segment(t.base, 'liver'))).toEqual(EXPECTED_MASK);
  });

  it('an unknown model is a 404 on every version route', async () => {
    for (const res of [
      await fetch(`${t.base}/admin/model/nope/versions`),
      await activate(t.base, 'nope', { version: 1 }),
      await fetch(`${t.base}/admin/model/nope?version=1`, { method: 'DELETE' }),
      await fetch(`${t.base}/admin/model/nope?version=1`),
    ]) {
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).message).toContain("'nope'");
    }
  });

  it('?version=abc is a 400 naming version', async () => {
    const res = await fetch(`${t.base}/admin/model/liver?version=abc`, { method: 'DELETE' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).message).toContain('version');
  });

  it('a failing version cannot be activated: the active one keeps serving', async () => {
    // Version 2's plugin does not exist: the upload itself is refused, so no such version is ever kept.
    const bad = await putModel(t.base, 'liver', {
      config: configPart({ ...thresholdConfig(2), inference: { name: 'missing.Plugin', args: {} } }),
    });
    expect(bad.status).toBe(400);
    expect((await versionsOf(t.base, 'liver')).versions.map((v) => v.version)).toEqual([1]);
    expect(await fs.readdir(path.join(t.workspace, 'models', 'liver'))).toEqual(['1']);
    expect(maskOf(await segment(t.base, 'liver'))).toEqual(EXPECTED_MASK);
    expect(errorMessage(await segment(t.base, 'nope'))).toContain("'nope'");
  });
});

/**
 * `<workspace>/lib/gate.js`: an inference that holds while `<workspace>/hold-<tag>` exists (at most 20 s), `tag` from
 * its config's args, so a test decides when a run on a given version finishes.
 */
async function writeGatePlugin(workspace: string): Promise<void> {
  await fs.mkdir(path.join(workspace, 'lib'), { recursive: true });
  await fs.writeFile(
    path.join(workspace, 'lib', 'gate.js'),
    [
      "const fs = require('fs');",
      "const path = require('path');",
      'exports.Gate = class Gate {',
      '  constructor(args) { this.tag = args.tag; }',
      '  async inference(name, data) {',
      "    const hold = path.join(__dirname, '..', `hold-${this.tag}`);",
      '    const until = Date.now() + 20000;',
      '    while (fs.existsSync(hold) && Date.now() < until) { await new Promise((r) => setTimeout(r, 20)); }',
      '    return data;',
      '  }',
      '};',
      '',
    ].join('\n'),
  );
}

const gateConfig = (tag: string): Record<string, unknown> => ({
  type: 'others',
  labels: [],
  description: tag,
  inference: { name: 'gate.Gate', args: { tag } },
});

/** The request lines of the log (one JSON object per line), in order. */
async function requestLines(logFile: string): Promise<Record<string, unknown>[]> {
  return (await fs.readFile(logFile, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['event'] === 'request');
}

describe('switching versions under load: runs in flight finish on their version, new ones get the new version', () => {
  const t = useTestApp({}, writeGatePlugin);

  it('a run held on version 1 finishes on it after version 2 was activated; version 2 was loaded once', async () => {
    for (const tag of ['v1', 'v2']) {
      expect((await putModel(t.base, 'gated', { config: configPart(gateConfig(tag)) })).status).toBe(200);
    }
    expect((await activate(t.base, 'gated', { version: 1 })).status).toBe(200);
    await fs.writeFile(path.join(t.workspace, 'hold-v1'), '');
    const held = sendPyMultipart('POST', `${t.base}/v1/inference?model=gated`, { params: '{}' }, [datapoint()], {
      'X-Request-Id': 'held-on-v1',
    });
    // Wait until the held request runs on version 1, as the in-flight gauge reports it.
    const inFlight = async (): Promise<boolean> =>
      (await scrape(`${t.base}/metrics`)).value('aiaa_inference_requests_in_flight', {
        model: 'gated',
        version: '1',
      }) === 1;
    expect(await waitFor(inFlight, 10_000)).toBe(true);
    const switched = await activate(t.base, 'gated', { version: 2 });
    expect(switched.status).toBe(200);
    const fresh = await sendPyMultipart('POST', `${t.base}/v1/inference?model=gated`, { params: '{}' }, [datapoint()], {
      'X-Request-Id': 'after-switch',
    });
    expect(fresh.status).toBe(200);
    // Still running on version 1 while version 2 serves.
    const during = await scrape(`${t.base}/metrics`);
    expect(during.value('aiaa_inference_requests_in_flight', { model: 'gated', version: '1' })).toBe(1);
    await fs.rm(path.join(t.workspace, 'hold-v1'));
    expect((await held).status).toBe(200);
    const lines = await requestLines(t.config.logFile);
    const byId = (id: string): Record<string, unknown> | undefined => lines.find((l) => l['reqId'] === id);
    expect(byId('held-on-v1')).toMatchObject({ model: 'gated', version: 1, status: 200 });
    expect(byId('after-switch')).toMatchObject({ model: 'gated', version: 2, status: 200 });
    // The order of the log shows the overlap: the run on version 2 ended before the held one on version 1.
    const at = (id: string): number => lines.findIndex((l) => l['reqId'] === id);
    expect(at('after-switch')).toBeLessThan(at('held-on-v1'));
    const loads = (await fs.readFile(t.config.logFile, 'utf8'))
      .split('\n')
      .filter((line) => line.includes('"event":"model_loaded"') && line.includes('"model":"gated"'))
      .map((line) => (JSON.parse(line) as { version: number }).version);
    // Upload v1, upload v2, activate v1, activate v2: four loads, one per switch, none twice for one switch.
    expect(loads).toEqual([1, 2, 1, 2]);
  });
});
