import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { PY_BOUNDARY, sendPyMultipart } from '../support/inference-helpers';
import {
  CT_FILE,
  EXPECTED_MASK,
  THRESHOLD_ONNX,
  listing,
  modelUploadBody,
  registryState,
  sendPartially,
  sha256Hex,
  thresholdConfig,
  waitFor,
} from '../support/hardening-support';
import {
  EMPTY_ONNX,
  PROPAGATION_MS,
  masks,
  millisUntil,
  put,
  segment,
  startInstance,
} from '../support/instances-support';
import { startPostgres, type PostgresServer } from '../support/postgres-server';
import { logProblems, type ServerProcess } from '../support/server-process';
import { makeWorkspace, removeWorkspace } from '../support/test-app';

// Three real server processes (SWC transpiles each on start) and a PostgreSQL on a shared 2-core machine.
jest.setTimeout(240_000);

describe('three instances on one PostgreSQL and one workspace', () => {
  let postgres: PostgresServer;
  let workspace: string;
  let url: string;
  const servers: ServerProcess[] = [];
  const start = (id: string): Promise<ServerProcess> => startInstance(workspace, url, id, ['--keep_versions', '10']);
  let a: ServerProcess;
  let b: ServerProcess;
  let c: ServerProcess;

  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase('instances');
    workspace = await makeWorkspace();
    // All three start at once on the empty database: one runs the migrations, the others wait for them.
    [a, b, c] = await Promise.all([start('a'), start('b'), start('c')]);
    servers.push(a, b, c);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await postgres?.stop();
    await removeWorkspace(workspace);
  });

  it('upload on A is served by B within 2 s; a replace on B reaches A while A serves; a delete on C makes A answer 404', async () => {
    expect((await put(a.base, 'spleen', THRESHOLD_ONNX)).status).toBe(200);
    const served = await millisUntil(async () => masks((await segment(b.base, 'spleen')).mask) === 'expected');
    expect(served).toBeLessThan(PROPAGATION_MS);

    // A serves throughout B's replace: every answer is one whole version's, never an error.
    const answers: string[] = [];
    let replacing = true;
    const load = (async () => {
      while (replacing) {
        const reply = await segment(a.base, 'spleen');
        answers.push(reply.status === 200 ? masks(reply.mask) : `status ${reply.status}: ${reply.body ?? ''}`);
      }
    })();
    expect((await put(b.base, 'spleen', EMPTY_ONNX, 2)).status).toBe(200);
    const replaced = await millisUntil(async () => masks((await segment(a.base, 'spleen')).mask) === 'empty');
    replacing = false;
    await load;
    expect(replaced).toBeLessThan(PROPAGATION_MS);
    expect(answers.filter((m) => m !== 'expected' && m !== 'empty')).toEqual([]);

    expect((await fetch(`${c.base}/admin/model/spleen`, { method: 'DELETE' })).status).toBe(200);
    const deleted = await millisUntil(async () => (await segment(a.base, 'spleen')).status === 404);
    expect(deleted).toBeLessThan(PROPAGATION_MS);
    expect((await fetch(`${b.base}/admin/model/spleen`)).status).toBe(404);
    console.log(
      `propagation: PUT on A → B ${served} ms, replace on B → A ${replaced} ms, DELETE on C → A ${deleted} ms`,
    );
  });

  it('instances PUT one name at once: each upload becomes a whole version of its own, never mixed files', async () => {
    // Six uploads, three at a time (one per instance); upload k sends config version k with a model of its own bytes.
    const models = [1, 2, 3, 4, 5, 6].map((k) => Buffer.from(buildThresholdSegmenter({ threshold: 0.5 + k / 100 })));
    for (const round of [0, 3]) {
      const replies = await Promise.all(
        [a, b, c].map((server, i) => put(server.base, 'race', models[round + i] as Buffer, round + i + 1)),
      );
      expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
    }
    const state = await registryState(c.base, workspace);
    expect(state.rows.find((row) => row.name === 'race')?.versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(state.hashMismatches).toEqual([]);
    // Each version folder holds one upload whole: its model file is the one sent with its config.
    const uploads = new Set<number>();
    for (const version of [1, 2, 3, 4, 5, 6]) {
      const dir = path.join(workspace, 'models', 'race', String(version));
      const config = JSON.parse(await fs.readFile(path.join(dir, 'config_aiaa.json'), 'utf8')) as { version: number };
      const onnx = await fs.readFile(path.join(dir, 'model.onnx'));
      expect(sha256Hex(onnx)).toBe(sha256Hex(models[config.version - 1] as Buffer));
      uploads.add(config.version);
    }
    expect(uploads.size).toBe(6);
    // Every instance ends up serving the active version.
    // The active version's config `version` (k of its upload), as GET /admin/model/{name} and /v1/models show it.
    const active = (await (await fetch(`${a.base}/admin/model/race`)).json()) as { version: number };
    for (const server of [a, b, c]) {
      const follows = async (): Promise<boolean> => {
        const listed = (await (await fetch(`${server.base}/v1/models?model=race`)).json()) as { version: unknown };
        return String(listed.version) === String(active.version);
      };
      expect(await millisUntil(follows)).toBeLessThan(PROPAGATION_MS);
    }
  });

  it('a session created on A is used on B and deleted on C; A then answers 440', async () => {
    expect((await put(a.base, 'sessions', THRESHOLD_ONNX)).status).toBe(200);
    await waitFor(async () => (await segment(b.base, 'sessions')).status === 200, 5000);
    const created = await sendPyMultipart('PUT', `${a.base}/session/?expiry=60`, {}, [
      { field: 'image', filename: 'ct.nii', content: CT_FILE },
    ]);
    expect(created.status).toBe(200);
    const id = (JSON.parse(created.body.toString('utf8')) as { session_id: string }).session_id;
    expect(await segment(b.base, 'sessions', id)).toEqual({ status: 200, mask: EXPECTED_MASK });
    expect((await fetch(`${b.base}/session/${id}`)).status).toBe(200);
    expect((await fetch(`${c.base}/session/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${a.base}/session/${id}`)).status).toBe(440);
    expect((await segment(a.base, 'sessions', id)).status).toBe(440);
    expect(await listing(path.join(workspace, 'sessions', id))).toEqual([]);
  });

  it('kill -9 of C during an upload: A and B keep serving, the registry stays consistent, C restarts clean', async () => {
    expect((await put(a.base, 'steady', THRESHOLD_ONNX)).status).toBe(200);
    const big = modelUploadBody(thresholdConfig(2), Buffer.alloc(8 * 1024 * 1024, 7), PY_BOUNDARY);
    const upload = sendPartially('PUT', `${c.base}/admin/model/steady`, big, big.length >> 1, {
      'Content-Type': `multipart/form-data; boundary=${PY_BOUNDARY}`,
    });
    const cStaging = path.join(workspace, 'staging', 'c');
    expect(await waitFor(async () => (await listing(cStaging)).length > 0, 20_000)).toBe(true);
    process.kill(-(c.child.pid as number), 'SIGKILL');
    await new Promise<void>((resolve) =>
      c.child.exitCode !== null ? resolve() : c.child.once('exit', () => resolve()),
    );
    upload.req.destroy();
    await upload.settled;

    // The lock C held went with its connection: A writes the same name at once.
    expect((await put(a.base, 'steady', EMPTY_ONNX, 2)).status).toBe(200);
    expect(
      await segment(b.base, 'steady').then(async () =>
        millisUntil(async () => masks((await segment(b.base, 'steady')).mask) === 'empty'),
      ),
    ).toBeLessThan(PROPAGATION_MS);
    const state = await registryState(a.base, workspace);
    expect(state.hashMismatches).toEqual([]);
    expect(state.rows.find((row) => row.name === 'steady')?.versions).toEqual([1, 2]);

    c = await start('c');
    servers.push(c);
    expect(await listing(cStaging)).toEqual([]);
    expect(masks((await segment(c.base, 'steady')).mask)).toBe('empty');
    expect(logProblems(workspace, 'aiaa-c.log')).not.toMatch(/registry_refused|"level":5/);
    await expect(fs.readFile(path.join(workspace, 'logs', 'aiaa-c.log'), 'utf8')).resolves.toMatch(
      /"event":"model_loaded"/,
    );
  });

  it('with the database down: admin routes answer 503 saying so, inference on loaded models and sessions continues', async () => {
    expect((await put(a.base, 'outage', THRESHOLD_ONNX)).status).toBe(200);
    await waitFor(async () => (await segment(b.base, 'outage')).status === 200, 5000);
    const created = await sendPyMultipart('PUT', `${b.base}/session/?expiry=60`, {}, [
      { field: 'image', filename: 'ct.nii', content: CT_FILE },
    ]);
    const id = (JSON.parse(created.body.toString('utf8')) as { session_id: string }).session_id;
    await postgres.halt();
    try {
      for (const server of [a, b]) {
        const listed = await fetch(`${server.base}/admin/model`);
        expect(listed.status).toBe(503);
        const body = (await listed.json()) as { message: string; kind: string };
        expect(body.kind).toBe('unavailable');
        expect(body.message).toMatch(/registry database is unreachable/);
        expect((await put(server.base, 'outage', EMPTY_ONNX, 2)).status).toBe(503);
        expect(await segment(server.base, 'outage')).toEqual({ status: 200, mask: EXPECTED_MASK });
      }
      expect(await segment(a.base, 'outage', id)).toEqual({ status: 200, mask: EXPECTED_MASK });
      expect((await fetch(`${a.base}/health`)).status).toBe(200);
    } finally {
      await postgres.start();
    }
    // Back: the next write works without a restart.
    expect((await put(b.base, 'outage', EMPTY_ONNX, 2)).status).toBe(200);
    expect(await millisUntil(async () => masks((await segment(a.base, 'outage')).mask) === 'empty')).toBeLessThan(
      PROPAGATION_MS,
    );
  });
});
