import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { PY_BOUNDARY, pyMultipart } from '../support/inference-helpers';
import { configPart, pluginConfig, putModel } from '../support/admin-client';
import { useTestApp } from '../support/test-app';
import {
  CT_FILE,
  listing,
  modelUploadBody,
  sendPartially,
  thresholdConfig,
  waitFor,
} from '../support/hardening-support';

jest.setTimeout(60_000);

const MULTIPART = { 'Content-Type': `multipart/form-data; boundary=${PY_BOUNDARY}` };
/** How long the slow plugin takes, in ms: far longer than the client waits. */
const SLOW_MS = 5_000;

/** `<workspace>/lib/slow.js`: an inference class that answers its input after {@link SLOW_MS}. */
async function writeSlowPlugin(workspace: string): Promise<void> {
  await fs.mkdir(path.join(workspace, 'lib'), { recursive: true });
  await fs.writeFile(
    path.join(workspace, 'lib', 'slow.js'),
    `exports.Slow = class Slow {\n  inference(name, data) {\n    return new Promise((resolve) => setTimeout(() => resolve(data), ${SLOW_MS}));\n  }\n};\n`,
  );
}

/** Files (not folders) anywhere under `dir`. */
async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await listing(dir)) {
    const stat = await fs.stat(path.join(dir, entry)).catch(() => undefined);
    if (stat?.isFile()) {
      files.push(entry);
    }
  }
  return files;
}

describe('a client that disconnects mid-upload or mid-inference leaves no temp files behind', () => {
  const t = useTestApp({ requestTimeoutSec: 30 });
  let uploads: string;

  beforeAll(async () => {
    uploads = path.join(t.workspace, 'sessions', 'tmp');
    await writeSlowPlugin(t.workspace);
    const res = await putModel(t.base, 'slow', {
      config: configPart(pluginConfig({ inference: { name: 'slow.Slow', args: {} } })),
    });
    expect(res.status).toBe(200);
  });

  it('mid-upload of a /v1/inference datapoint: the request folder is removed', async () => {
    // A datapoint of 8 MiB (the CT padded): half of it is sent, then the connection is dropped.
    const body = pyMultipart({ params: '{}' }, [
      { field: 'datapoint', filename: 'ct.nii', content: Buffer.concat([CT_FILE, Buffer.alloc(8 * 1024 * 1024)]) },
    ]);
    const upload = sendPartially('POST', `${t.base}/v1/inference?model=slow`, body, body.length >> 1, MULTIPART);
    expect(await waitFor(async () => (await filesUnder(uploads)).length > 0, 10_000)).toBe(true);
    upload.req.destroy();
    await upload.settled;
    expect(await waitFor(async () => (await listing(uploads)).length === 0, 5_000)).toBe(true);
  });

  it('mid-upload of a model (PUT /admin/model): the staging folder is removed and nothing is registered', async () => {
    const body = modelUploadBody(thresholdConfig(1), Buffer.alloc(8 * 1024 * 1024), PY_BOUNDARY);
    const upload = sendPartially('PUT', `${t.base}/admin/model/cut`, body, body.length >> 1, MULTIPART);
    expect(await waitFor(async () => (await filesUnder(t.config.stagingDir)).length > 0, 10_000)).toBe(true);
    upload.req.destroy();
    await upload.settled;
    expect(await waitFor(async () => (await listing(t.config.stagingDir)).length === 0, 5_000)).toBe(true);
    expect((await fetch(`${t.base}/admin/model/cut`)).status).toBe(404);
    expect(await listing(path.join(t.workspace, 'models', 'cut'))).toEqual([]);
  });

  it('mid-inference: the request folder is removed long before the plugin would have finished', async () => {
    const body = pyMultipart({ params: '{}' }, [{ field: 'datapoint', filename: 'ct.nii', content: CT_FILE }]);
    const started = Date.now();
    const request = sendPartially('POST', `${t.base}/v1/inference?model=slow`, body, body.length, MULTIPART);
    request.req.end();
    // The whole body is in; the plugin is running once the request folder holds the upload.
    expect(await waitFor(async () => (await filesUnder(uploads)).length > 0, 5_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    request.req.destroy();
    await request.settled;
    expect(await waitFor(async () => (await listing(uploads)).length === 0, SLOW_MS)).toBe(true);
    expect(Date.now() - started).toBeLessThan(SLOW_MS);
    // And the server serves the next request.
    expect((await fetch(`${t.base}/v1/models`)).status).toBe(200);
  });
});
