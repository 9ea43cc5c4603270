import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { errorMessage, sendPyMultipart } from '../support/inference-helpers';
import { configPart, pluginConfig, putModel } from '../support/admin-client';
import { useTestApp } from '../support/test-app';
import { datapoint } from '../support/hardening-support';

jest.setTimeout(60_000);

/** The request deadline given to the server, in seconds. */
const TIMEOUT_SEC = 2;

/** `<workspace>/lib/hang.js`: an inference class whose promise never settles. */
async function writeHangingPlugin(workspace: string): Promise<void> {
  await fs.mkdir(path.join(workspace, 'lib'), { recursive: true });
  await fs.writeFile(
    path.join(workspace, 'lib', 'hang.js'),
    'exports.Hang = class Hang {\n  inference() {\n    return new Promise(() => {});\n  }\n};\n',
  );
}

describe.each([
  ['in a worker thread', 1],
  ['on the main thread', 0],
])('a plugin whose inference never resolves (%s)', (_where, workers) => {
  const t = useTestApp({ workers, requestTimeoutSec: TIMEOUT_SEC });

  beforeAll(async () => {
    await writeHangingPlugin(t.workspace);
    const res = await putModel(t.base, 'hang', {
      config: configPart(pluginConfig({ inference: { name: 'hang.Hang', args: {} } })),
    });
    expect(res.status).toBe(200);
  });

  it('answers 504 naming the model and the limit within the deadline, and the server answers meanwhile', async () => {
    const started = Date.now();
    const pending = sendPyMultipart('POST', `${t.base}/v1/inference?model=hang`, { params: '{}' }, [datapoint()]);
    // While the plugin hangs, the rest of the API answers (several times, quickly).
    for (let i = 0; i < 5; i++) {
      const before = Date.now();
      const models = await fetch(`${t.base}/v1/models`);
      expect(models.status).toBe(200);
      expect(Date.now() - before).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const reply = await pending;
    const elapsedMs = Date.now() - started;
    expect(reply.status).toBe(504);
    expect(errorMessage(reply)).toContain("model 'hang'");
    expect(errorMessage(reply)).toContain(`${TIMEOUT_SEC} s`);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_SEC * 1000 - 100);
    expect(elapsedMs).toBeLessThan(TIMEOUT_SEC * 1000 + 3_000);
  });

  it('removes the request folder after the timeout', async () => {
    const uploads = path.join(t.workspace, 'sessions', 'tmp');
    let left = await fs.readdir(uploads).catch(() => [] as string[]);
    for (let i = 0; i < 100 && left.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      left = await fs.readdir(uploads).catch(() => [] as string[]);
    }
    expect(left).toEqual([]);
  });

  it('DELETE of the hung model answers at once: the abandoned run does not hold its close', async () => {
    const started = Date.now();
    const res = await fetch(`${t.base}/admin/model/hang`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await fetch(`${t.base}/admin/model/hang`)).status).toBe(404);
  });
});
