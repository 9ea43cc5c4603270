import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { configPart, putModel } from '../support/admin-client';
import { REGISTRY_DATABASES, useRegistryDatabase } from '../support/registry-databases';
import { useTestApp, type TestApp } from '../support/test-app';
import { listing, registryState, sha256Hex, thresholdConfig } from '../support/hardening-support';

// Real app, real SQLite file, 30+ requests at once on a shared 2-core machine.
jest.setTimeout(120_000);

/** Ten distinct model files: the threshold network with thresholds 0.05, 0.15, … (distinct bytes, distinct sha256). */
const MODELS = Array.from({ length: 10 }, (_, i) => Buffer.from(buildThresholdSegmenter({ threshold: 0.05 + i / 10 })));

interface Outcome {
  readonly call: string;
  readonly status: number;
  readonly body: string;
}

async function call(label: string, pending: Promise<Response>): Promise<Outcome> {
  const res = await pending;
  return { call: label, status: res.status, body: await res.text() };
}

function put(t: TestApp, name: string, i: number): Promise<Outcome> {
  const data = MODELS[i] as Buffer;
  return call(
    `PUT ${name} v${i}`,
    putModel(t.base, name, { config: configPart(thresholdConfig(i)), data: { data, filename: 'model.onnx' } }),
  );
}

/** Calls that are not 2xx/4xx, with their bodies, for the failure message. */
const serverErrors = (outcomes: readonly Outcome[]): string[] =>
  outcomes.filter((o) => o.status < 200 || o.status >= 500).map((o) => `${o.call}: ${o.status} ${o.body}`);

describe.each(REGISTRY_DATABASES)(
  'concurrent admin calls on one %s registry: never a 500, never a half row',
  (dialect) => {
    const database = useRegistryDatabase(dialect);
    const t = useTestApp(() => database());

    async function expectConsistent(): Promise<void> {
      const rows: { name: string }[] = await t.app.get(DataSource).query('SELECT "name" FROM "model" ORDER BY "name"');
      expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
      const state = await registryState(t.base, t.workspace);
      expect(state.folders).toEqual(state.rows.map((r) => r.name));
      expect(state.hashMismatches).toEqual([]);
      for (const row of state.rows) {
        // The config of the active version on disk is the one the registry answers.
        const onDisk = JSON.parse(
          await fs.readFile(
            path.join(t.workspace, 'models', row.name, String(row.activeVersion), 'config_aiaa.json'),
            'utf8',
          ),
        );
        expect(await (await fetch(`${t.base}/admin/model/${row.name}`)).json()).toEqual({
          ...onDisk,
          active_version: row.activeVersion,
          versions: row.versions,
        });
        expect(onDisk.version).toBe(Number(row.version));
      }
      expect(await listing(t.config.stagingDir)).toEqual([]);
    }

    it('10 parallel PUTs of one name: all 200, versions 1-10 given in turn, the last 3 kept, files matching', async () => {
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => put(t, 'same', i)));
      expect(serverErrors(outcomes)).toEqual([]);
      expect(outcomes.map((o) => o.status)).toEqual(new Array(10).fill(200));
      await expectConsistent();
      const state = await registryState(t.base, t.workspace);
      const row = state.rows.find((r) => r.name === 'same');
      expect(row?.sha256).toBe(sha256Hex(MODELS[Number(row?.version)] as Buffer));
      // Each PUT got the next number; the one that finished last serves, with --keep_versions 3 left behind it.
      const numbers = outcomes.map((o) => (JSON.parse(o.body) as { activeVersion: number }).activeVersion);
      expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect([row?.activeVersion, row?.versions]).toEqual([10, [8, 9, 10]]);
    });

    it('10 parallel PUTs of different names with GETs alongside: all 200, ten rows, ten matching folders', async () => {
      const outcomes = await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => put(t, `model_${i}`, i)),
        ...Array.from({ length: 10 }, (_, i) => call(`GET model_${i}`, fetch(`${t.base}/admin/model/model_${i}`))),
        call('GET list', fetch(`${t.base}/admin/model`)),
      ]);
      expect(serverErrors(outcomes)).toEqual([]);
      expect(outcomes.slice(0, 10).map((o) => o.status)).toEqual(new Array(10).fill(200));
      for (const get of outcomes.slice(10, 20)) {
        expect([200, 404]).toContain(get.status);
      }
      await expectConsistent();
      const state = await registryState(t.base, t.workspace);
      for (let i = 0; i < 10; i++) {
        expect(state.rows.find((r) => r.name === `model_${i}`)?.sha256).toBe(sha256Hex(MODELS[i] as Buffer));
      }
    });

    it('PUTs, DELETEs and GETs interleaved on the same names: only 2xx/4xx, and a consistent end state', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const name = `model_${i % 5}`;
          return [
            put(t, name, i),
            call(`DELETE ${name}`, fetch(`${t.base}/admin/model/${name}`, { method: 'DELETE' })),
            call(`GET ${name}`, fetch(`${t.base}/admin/model/${name}`)),
          ];
        }).flat(),
      );
      expect(serverErrors(outcomes)).toEqual([]);
      for (const o of outcomes) {
        expect([200, 404]).toContain(o.status);
      }
      await expectConsistent();
    });
  },
);
