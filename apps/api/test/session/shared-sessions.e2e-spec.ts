import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { SessionStore } from '../../src/inference/session/session-store.service';
import { listing, sleep } from '../support/hardening-support';
import { DT_INT16, request, sendPyMultipart, writeTestNifti } from '../support/inference-helpers';
import { makeWorkspace, removeWorkspace, startTestApp, type TestApp } from '../support/test-app';

/** A 4×3×2 int16 volume: voxel n holds n. */
const volume = writeTestNifti({
  dims: [4, 3, 2],
  datatype: DT_INT16,
  voxels: Int16Array.from({ length: 24 }, (_, n) => n),
});

jest.setTimeout(30_000);

// Two apps on one workspace, as two instances behind a load balancer (sessions need no database: each app keeps its
// registry in memory here).
describe('sessions on a workspace shared by two instances: expiry sweeps see each other’s use and never fight', () => {
  let workspace: string;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    workspace = await makeWorkspace();
    a = await startTestApp({ instanceId: 'a', db: 'sqlite::memory:' }, workspace);
    b = await startTestApp({ instanceId: 'b', db: 'sqlite::memory:' }, workspace);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await removeWorkspace(workspace);
  });

  it('a session used on B is not expired by A’s sweep; once idle, both sweeps at once remove it once', async () => {
    const created = await sendPyMultipart('PUT', `${a.base}/session/?expiry=2`, {}, [
      { field: 'image', filename: 'ct.nii', content: volume },
    ]);
    expect(created.status).toBe(200);
    const id = (JSON.parse(created.body.toString('utf8')) as { session_id: string }).session_id;
    // B uses it every second for three seconds: past its two-second expiry as A last saw it.
    for (let second = 0; second < 3; second++) {
      await sleep(1000);
      expect((await request('GET', `${b.base}/session/${id}?update_ts=true`)).status).toBe(200);
    }
    await a.app.get(SessionStore).sweep();
    expect((await request('GET', `${a.base}/session/${id}`)).status).toBe(200);

    await sleep(2200);
    await Promise.all([a.app.get(SessionStore).sweep(), b.app.get(SessionStore).sweep()]);
    await expect(fs.stat(path.join(workspace, 'sessions', id))).rejects.toThrow(/ENOENT/);
    expect((await listing(path.join(workspace, 'sessions'))).filter((entry) => !entry.startsWith('tmp'))).toEqual([]);
    expect((await request('GET', `${a.base}/session/${id}`)).status).toBe(440);
    expect((await request('GET', `${b.base}/session/${id}`)).status).toBe(440);
  });

  it('each instance stages its uploads in its own sessions/tmp/<instance> folder', async () => {
    expect((await listing(path.join(workspace, 'sessions', 'tmp'))).filter((e) => !e.includes('/'))).toEqual([
      'a',
      'b',
    ]);
  });
});
