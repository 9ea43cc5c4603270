import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { sendPyMultipart } from '../support/inference-helpers';
import { configPart, putModel, sha256Hex } from '../support/admin-client';
import {
  EXPECTED_MASK,
  THRESHOLD_ONNX,
  datapoint,
  listing,
  maskOf,
  thresholdConfig,
} from '../support/hardening-support';
import { useTestApp } from '../support/test-app';

jest.setTimeout(60_000);

/** A workspace as the single-version server left it (see its README): nine models, one row each. */
const FIXTURE = path.join(__dirname, '../fixtures/single-version-workspace');

interface OldRow {
  name: string;
  version: string;
  engine: string;
  dir: string;
  modelFile: string | null;
  sha256: string;
  config: string;
}

/** The fixture's rows, read with the sqlite3 driver itself (not through the server's code). */
function oldRows(): Promise<OldRow[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path.join(FIXTURE, 'aiaa.sqlite'), sqlite3.OPEN_READONLY, (error) => {
      if (error) {
        reject(error);
      }
    });
    db.all('SELECT * FROM "model" ORDER BY "name"', (error, rows) => {
      db.close();
      if (error) {
        reject(error);
      } else {
        resolve(rows as OldRow[]);
      }
    });
  });
}

/** Every file of the fixture's model folders with its sha256: `name/relative/path` → hash. */
async function fileHashes(modelsDir: string, underVersion: boolean): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const name of await fs.readdir(modelsDir)) {
    const dir = underVersion ? path.join(modelsDir, name, '1') : path.join(modelsDir, name);
    for (const file of await fs.readdir(dir, { recursive: true })) {
      const full = path.join(dir, String(file));
      if ((await fs.stat(full)).isFile() && String(file) !== 'version.json') {
        hashes[`${name}/${String(file)}`] = sha256Hex(await fs.readFile(full));
      }
    }
  }
  return hashes;
}

interface NewRow {
  name: string;
  activeVersion: number;
  latestVersion: number;
  version: number;
  configVersion: string;
  engine: string;
  modelFile: string | null;
  sha256: string;
  config: string;
  origin: string;
}

describe('first boot on a workspace written in the single-version layout', () => {
  const t = useTestApp({}, (workspace) =>
    fs.cp(FIXTURE, workspace, { recursive: true, filter: (source) => path.basename(source) !== 'README.md' }),
  );
  let before: OldRow[];

  beforeAll(async () => {
    before = await oldRows();
  });

  async function newRows(): Promise<NewRow[]> {
    return t.app
      .get(DataSource)
      .query(
        'SELECT m."name", m."activeVersion", m."latestVersion", v."version", v."configVersion", v."engine", ' +
          'v."modelFile", v."sha256", v."config", v."origin" FROM "model" m JOIN "model_version" v ' +
          'ON v."modelId" = m."id" ORDER BY m."name", v."version"',
      );
  }

  it('moves every model folder to models/<name>/1/, each file byte for byte', async () => {
    expect(before).toHaveLength(9);
    const was = await fileHashes(path.join(FIXTURE, 'models'), false);
    expect(Object.keys(was)).toHaveLength(17);
    expect(await fileHashes(path.join(t.workspace, 'models'), true)).toEqual(was);
    for (const row of before) {
      expect(await fs.readdir(path.join(t.workspace, 'models', row.name))).toEqual(['1']);
    }
    expect(await listing(t.config.stagingDir)).toEqual([]);
  });

  it('makes each row version 1, active, with the old config, hash, model file and engine', async () => {
    const after = await newRows();
    expect(after).toEqual(
      before.map((old) => ({
        name: old.name,
        activeVersion: 1,
        latestVersion: 1,
        version: 1,
        configVersion: old.version,
        // Registered on --engine AIAA, loaded on AIAA: only native_one keeps `native`.
        engine: old.engine,
        modelFile: old.modelFile,
        sha256: old.sha256,
        config: old.config,
        origin: 'migrated',
      })),
    );
    // The ONNX file a client sent as model.pt keeps its name, recorded beside it for a restore without the database.
    const manifest = JSON.parse(
      await fs.readFile(path.join(t.workspace, 'models', 'uploaded_pt', '1', 'version.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(manifest).toMatchObject({ version: 1, modelFile: 'model.pt', origin: 'migrated' });
  });

  it('serves every model as version 1, and the uploaded ones segment as before', async () => {
    const listed = (await (await fetch(`${t.base}/v1/models`)).json()) as { name: string; active_version: number }[];
    expect(listed.map((m) => [m.name, m.active_version])).toEqual(before.map((r) => [r.name, 1]).sort());
    for (const model of ['uploaded_pt', 'bundled', 'native_one', 'replaced']) {
      const reply = await sendPyMultipart('POST', `${t.base}/v1/segmentation?model=${model}`, { params: '{}' }, [
        datapoint(),
      ]);
      expect({ model, status: reply.status }).toEqual({ model, status: 200 });
      expect(maskOf(reply)).toEqual(EXPECTED_MASK);
    }
  });

  it('a second boot finds nothing to move or repair', async () => {
    const rows = await newRows();
    const logBefore = (await fs.readFile(t.config.logFile, 'utf8')).length;
    await t.restart();
    expect(await newRows()).toEqual(rows);
    const newLines = (await fs.readFile(t.config.logFile, 'utf8')).slice(logBefore);
    expect(newLines).not.toContain('registry_repaired');
    expect(newLines).not.toContain('registry_refused');
  });

  it('a new upload of a migrated model becomes version 2; version 1 stays', async () => {
    const res = await putModel(t.base, 'replaced', {
      config: configPart(thresholdConfig(3)),
      data: { data: THRESHOLD_ONNX, filename: 'model.onnx' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ activeVersion: 2, versions: [1, 2], version: '3' });
    expect((await fs.readdir(path.join(t.workspace, 'models', 'replaced'))).sort()).toEqual(['1', '2']);
  });

  it('restored without its database, the workspace loads again: every version, the highest active', async () => {
    const database = path.join(t.workspace, 'aiaa.sqlite');
    await t.restart(undefined, () => fs.rm(database));
    const rows = await newRows();
    expect(rows.map((r) => [r.name, r.version, r.activeVersion])).toEqual(
      [...before.map((r) => [r.name, 1, r.name === 'replaced' ? 2 : 1]), ['replaced', 2, 2]].sort(
        (a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]),
      ),
    );
    const pt = rows.find((r) => r.name === 'uploaded_pt');
    // Its file is model.pt: only the manifest says which file is the model.
    expect(pt).toMatchObject({ modelFile: 'model.pt', origin: 'migrated', sha256: sha256Hex(THRESHOLD_ONNX) });
    expect(rows.find((r) => r.name === 'native_one')?.engine).toBe('native');
    expect(rows.find((r) => r.name === 'spleen_ct_threshold')?.origin).toBe('migrated');
    const reply = await sendPyMultipart('POST', `${t.base}/v1/segmentation?model=uploaded_pt`, { params: '{}' }, [
      datapoint(),
    ]);
    expect(maskOf(reply)).toEqual(EXPECTED_MASK);
  });
});
