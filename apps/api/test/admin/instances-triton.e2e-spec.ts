import * as path from 'node:path';
import { KServePeer } from '@aiaa/inference/testing';
import { THRESHOLD_ONNX } from '../support/hardening-support';
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
import type { ServerProcess } from '../support/server-process';
import { makeWorkspace, removeWorkspace } from '../support/test-app';

// Two real server processes, a PostgreSQL and a real gRPC Triton peer on a shared 2-core machine.
jest.setTimeout(240_000);

// Triton is the KServe v2 test peer (real gRPC, onnxruntime), sharing the workspace's triton_models folder with both
// instances, as one Triton serves a department's instances; it counts the repository calls it receives.
describe('two instances with --engine TRITON on one Triton: each change is deployed once, by its writer', () => {
  let postgres: PostgresServer;
  let triton: KServePeer;
  let workspace: string;
  let a: ServerProcess;
  let b: ServerProcess;
  const loads = (): number => triton.calls['RepositoryModelLoad'] ?? 0;
  const unloads = (): number => triton.calls['RepositoryModelUnload'] ?? 0;
  const start = (db: string, id: string): Promise<ServerProcess> =>
    startInstance(workspace, db, id, [
      '--engine',
      'TRITON',
      '--triton_ip',
      '127.0.0.1',
      '--triton_port',
      String(triton.port),
    ]);

  beforeAll(async () => {
    postgres = await startPostgres();
    const db = await postgres.createDatabase('triton');
    workspace = await makeWorkspace();
    triton = await KServePeer.start({ repository: path.join(workspace, 'triton_models') });
    a = await start(db, 'a');
    b = await start(db, 'b');
  }, 240_000);

  afterAll(async () => {
    await Promise.all([a, b].map((server) => server?.stop()));
    await triton?.close();
    await postgres?.stop();
    await removeWorkspace(workspace);
  });

  it('a PUT loads the model on Triton once; the other instance serves it without loading it again', async () => {
    expect((await put(a.base, 'spleen', THRESHOLD_ONNX)).status).toBe(200);
    expect(loads()).toBe(1);
    expect(await millisUntil(async () => masks((await segment(b.base, 'spleen')).mask) === 'expected')).toBeLessThan(
      PROPAGATION_MS,
    );
    expect(masks((await segment(a.base, 'spleen')).mask)).toBe('expected');
    expect(loads()).toBe(1);
  });

  it('a replace on B loads once; A follows onto the new version without a load of its own', async () => {
    expect((await put(b.base, 'spleen', EMPTY_ONNX, 2)).status).toBe(200);
    expect(loads()).toBe(2);
    expect(await millisUntil(async () => masks((await segment(a.base, 'spleen')).mask) === 'empty')).toBeLessThan(
      PROPAGATION_MS,
    );
    expect(loads()).toBe(2);
    expect(unloads()).toBe(0);
  });

  it('a restarted instance attaches to what Triton already serves instead of loading it again', async () => {
    await b.stop();
    b = await start(postgres.urlOf('triton'), 'b');
    expect(masks((await segment(b.base, 'spleen')).mask)).toBe('empty');
    expect(loads()).toBe(2);
    expect(triton.loadedModels).toEqual(['spleen']);
  });

  it('a DELETE on A unloads it from Triton once; B stops serving it without unloading anything', async () => {
    expect((await fetch(`${a.base}/admin/model/spleen`, { method: 'DELETE' })).status).toBe(200);
    expect(unloads()).toBe(1);
    expect(await millisUntil(async () => (await segment(b.base, 'spleen')).status === 404)).toBeLessThan(
      PROPAGATION_MS,
    );
    expect(unloads()).toBe(1);
    expect(triton.loadedModels).toEqual([]);
  });
});
