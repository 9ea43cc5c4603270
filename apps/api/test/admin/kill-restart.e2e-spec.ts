import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { PY_BOUNDARY, sendPyMultipart } from '../support/inference-helpers';
import { logProblems, startServerProcess, type ServerProcess } from '../support/server-process';
import { makeWorkspace, removeWorkspace } from '../support/test-app';
import {
  EXPECTED_MASK,
  THRESHOLD_ONNX,
  datapoint,
  listing,
  maskOf,
  modelUploadBody,
  registryState,
  sendPartially,
  sha256Hex,
  thresholdConfig,
  waitFor,
} from '../support/hardening-support';

// Each case boots the real server process twice (SWC transpiles on load) on a shared 2-core machine.
jest.setTimeout(180_000);

const MULTIPART = { 'Content-Type': `multipart/form-data; boundary=${PY_BOUNDARY}` };
/** A data part large enough that half of it is still streaming when the server is killed. */
const BIG_DATA = Buffer.alloc(8 * 1024 * 1024, 7);

/** SIGKILL to the server's process group (start.js and the node running main.ts), then waits for the exit. */
async function kill9(server: ServerProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  if (server.child.pid !== undefined && server.child.exitCode === null && server.child.signalCode === null) {
    process.kill(-server.child.pid, 'SIGKILL');
    await exited;
  }
}

async function putThreshold(base: string, name: string, version: number): Promise<void> {
  const reply = await sendPyMultipart('PUT', `${base}/admin/model/${name}`, {}, [
    { field: 'config', filename: 'config_aiaa.json', content: Buffer.from(JSON.stringify(thresholdConfig(version))) },
    { field: 'data', filename: 'model.onnx', content: THRESHOLD_ONNX },
  ]);
  if (reply.status !== 200) {
    throw new Error(`PUT ${name} answered ${reply.status}: ${reply.body.toString('utf8')}`);
  }
}

/** Staging folders that hold at least one file: an upload is being written. */
async function uploadInProgress(workspace: string): Promise<boolean> {
  const staging = path.join(workspace, 'staging');
  const entries = await listing(staging);
  for (const entry of entries) {
    const stat = await fs.stat(path.join(staging, entry)).catch(() => undefined);
    if (stat?.isFile() && stat.size > 0) {
      return true;
    }
  }
  return false;
}

/**
 * The registry and `models/` agree (a folder per kept version, the active one's file with the row's sha256), every
 * model is loaded, nothing is left in staging. Returns `name@active[kept versions]` per model.
 */
async function expectConsistent(server: ServerProcess, workspace: string): Promise<string[]> {
  const state = await registryState(server.base, workspace);
  expect(state.folders).toEqual(state.rows.map((r) => r.name));
  expect(state.hashMismatches).toEqual([]);
  expect(state.rows.filter((r) => !r.loaded).map((r) => r.name)).toEqual([]);
  expect(await listing(path.join(workspace, 'staging'))).toEqual([]);
  return state.rows.map((r) => `${r.name}@${r.activeVersion}[${r.versions.join(',')}]`);
}

async function segment(base: string, model: string, workspace: string): Promise<number[]> {
  const reply = await sendPyMultipart('POST', `${base}/v1/segmentation?model=${model}`, { params: '{}' }, [
    datapoint(),
  ]);
  if (reply.status !== 200) {
    throw new Error(`segmentation answered ${reply.status}: ${reply.body.toString('utf8')}\n${logProblems(workspace)}`);
  }
  return maskOf(reply);
}

describe('kill -9 of the real server process, then a restart on the same workspace', () => {
  let workspace: string;
  let server: ServerProcess | undefined;

  beforeEach(async () => {
    workspace = await makeWorkspace();
    server = await startServerProcess(workspace);
  });

  afterEach(async () => {
    if (server) {
      await kill9(server);
    }
    server = undefined;
    await removeWorkspace(workspace);
  });

  async function restart(flags: readonly string[] = []): Promise<ServerProcess> {
    if (server) {
      await kill9(server);
    }
    server = await startServerProcess(workspace, undefined, undefined, flags);
    return server;
  }

  it('during a slow upload of a new model: no row, no folder, no staging leftovers', async () => {
    const s = server as ServerProcess;
    await putThreshold(s.base, 'kept', 1);
    const body = modelUploadBody(thresholdConfig(1), BIG_DATA, PY_BOUNDARY);
    const upload = sendPartially('PUT', `${s.base}/admin/model/fresh`, body, body.length >> 1, MULTIPART);
    expect(await waitFor(() => uploadInProgress(workspace), 20_000)).toBe(true);
    await kill9(s);
    upload.req.destroy();
    await upload.settled;
    const after = await restart();
    expect(await expectConsistent(after, workspace)).toEqual(['kept@1[1]']);
    expect((await fetch(`${after.base}/admin/model/fresh`)).status).toBe(404);
    expect(await segment(after.base, 'kept', workspace)).toEqual(EXPECTED_MASK);
  });

  it('during a replace cut off mid-upload: the old version is registered, on disk and still segments', async () => {
    const s = server as ServerProcess;
    await putThreshold(s.base, 'spleen', 1);
    const body = modelUploadBody(thresholdConfig(2), BIG_DATA, PY_BOUNDARY);
    const upload = sendPartially('PUT', `${s.base}/admin/model/spleen`, body, body.length >> 1, MULTIPART);
    expect(await waitFor(() => uploadInProgress(workspace), 20_000)).toBe(true);
    await kill9(s);
    upload.req.destroy();
    await upload.settled;
    const after = await restart();
    expect(await expectConsistent(after, workspace)).toEqual(['spleen@1[1]']);
    expect(sha256Hex(await fs.readFile(path.join(workspace, 'models/spleen/1/model.onnx')))).toBe(
      sha256Hex(THRESHOLD_ONNX),
    );
    expect(await segment(after.base, 'spleen', workspace)).toEqual(EXPECTED_MASK);
  });

  it('during a replace whose whole body was sent (kill while it is swapped in): one version, consistent, serving', async () => {
    const s = server as ServerProcess;
    await putThreshold(s.base, 'spleen', 1);
    const body = modelUploadBody(thresholdConfig(2), THRESHOLD_ONNX, PY_BOUNDARY);
    const upload = sendPartially('PUT', `${s.base}/admin/model/spleen`, body, body.length, MULTIPART);
    // Kill as soon as the upload reached staging: somewhere between receiving, validating, swapping and committing.
    await waitFor(() => uploadInProgress(workspace), 10_000);
    await kill9(s);
    await upload.settled;
    const after = await restart();
    const versions = await expectConsistent(after, workspace);
    expect(['spleen@1[1]', 'spleen@2[1,2]']).toContain(versions[0]);
    expect(versions).toHaveLength(1);
    expect(await segment(after.base, 'spleen', workspace)).toEqual(EXPECTED_MASK);
  });

  it('during a delete: the model is either fully there (and serves) or fully gone; the others are untouched', async () => {
    const s = server as ServerProcess;
    await putThreshold(s.base, 'doomed', 1);
    await putThreshold(s.base, 'other', 1);
    const removal = sendPartially('DELETE', `${s.base}/admin/model/doomed`, Buffer.alloc(0), 0, {});
    removal.req.end();
    // Give the request a moment to reach the server, then kill it mid-way (or just after).
    await waitFor(async () => (await listing(path.join(workspace, 'staging'))).length > 0, 300);
    await kill9(s);
    await removal.settled;
    const after = await restart();
    const versions = await expectConsistent(after, workspace);
    expect(versions).toContain('other@1[1]');
    if (versions.includes('doomed@1[1]')) {
      expect(await segment(after.base, 'doomed', workspace)).toEqual(EXPECTED_MASK);
    } else {
      expect(versions).toEqual(['other@1[1]']);
    }
    expect(await segment(after.base, 'other', workspace)).toEqual(EXPECTED_MASK);
  });

  it('during activations of another version: one active version, both kept, serving', async () => {
    const s = server as ServerProcess;
    await putThreshold(s.base, 'spleen', 1);
    await putThreshold(s.base, 'spleen', 2);
    // Kill at a few points after the request left: before, while and after the version loads and the row switches.
    for (const delayMs of [5, 150]) {
      const current = server as ServerProcess;
      const body = Buffer.from(JSON.stringify({ version: 1 }));
      const switching = sendPartially('PUT', `${current.base}/admin/model/spleen/active`, body, body.length, {
        'Content-Type': 'application/json',
      });
      switching.req.end();
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await kill9(current);
      await switching.settled;
      const after = await restart();
      const versions = await expectConsistent(after, workspace);
      expect(['spleen@1[1,2]', 'spleen@2[1,2]']).toContain(versions[0]);
      expect(await segment(after.base, 'spleen', workspace)).toEqual(EXPECTED_MASK);
      // Back to version 2 for the next round.
      const back = await fetch(`${after.base}/admin/model/spleen/active`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ version: 2 }),
      });
      expect(back.status).toBe(200);
    }
  });

  it('during an upload that prunes (--keep_versions 1): one active version, rows matching the folders', async () => {
    let s = await restart(['--keep_versions', '1']);
    await putThreshold(s.base, 'spleen', 1);
    for (const delayMs of [0, 120]) {
      s = server as ServerProcess;
      const body = modelUploadBody(thresholdConfig(2), THRESHOLD_ONNX, PY_BOUNDARY);
      const upload = sendPartially('PUT', `${s.base}/admin/model/spleen`, body, body.length, MULTIPART);
      await waitFor(() => uploadInProgress(workspace), 10_000);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await kill9(s);
      await upload.settled;
      const after = await restart(['--keep_versions', '1']);
      const [versions] = await expectConsistent(after, workspace);
      // Before the commit: the old version alone; after it, the new one, with the old one pruned or not yet.
      expect(versions).toMatch(/^spleen@(\d+)\[(\d+,)?\1\]$/);
      expect(await segment(after.base, 'spleen', workspace)).toEqual(EXPECTED_MASK);
    }
  });
});
