import * as path from 'node:path';
import { errorMessage, sendPyMultipart } from '../support/inference-helpers';
import { configPart, pluginConfig, putModel, writePassThroughPlugin } from '../support/admin-client';
import { useTestApp } from '../support/test-app';
import { CT_FILE, listing, thresholdConfig } from '../support/hardening-support';

jest.setTimeout(60_000);

/** Twice the 1 MiB limit the server is started with. */
const TWO_MIB = Buffer.concat([CT_FILE, Buffer.alloc(2 * 1024 * 1024)]);

describe('uploads over --max_upload_mb 1 answer 413 naming the part and the limit, leaving no file behind', () => {
  const t = useTestApp({ maxUploadMb: 1 });

  beforeAll(async () => {
    await writePassThroughPlugin(t.workspace);
    expect((await putModel(t.base, 'pass', { config: configPart(pluginConfig()) })).status).toBe(200);
  });

  it('a 2 MiB datapoint to /v1/inference, answered at once (not after a settle bound)', async () => {
    const started = Date.now();
    const reply = await sendPyMultipart('POST', `${t.base}/v1/inference?model=pass`, { params: '{}' }, [
      { field: 'datapoint', filename: 'ct.nii', content: TWO_MIB },
    ]);
    expect(reply.status).toBe(413);
    expect(errorMessage(reply)).toContain("'datapoint'");
    expect(errorMessage(reply)).toContain(String(1024 * 1024));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await listing(path.join(t.workspace, 'sessions', 'tmp'))).toEqual([]);
  });

  it('a 2 MiB data part to PUT /admin/model', async () => {
    const reply = await sendPyMultipart('PUT', `${t.base}/admin/model/big`, {}, [
      { field: 'config', filename: 'config_aiaa.json', content: Buffer.from(JSON.stringify(thresholdConfig(1))) },
      { field: 'data', filename: 'model.onnx', content: TWO_MIB },
    ]);
    expect(reply.status).toBe(413);
    expect(errorMessage(reply)).toContain("'data'");
    expect(errorMessage(reply)).toContain('--max_upload_mb 1');
    expect(await listing(t.config.stagingDir)).toEqual([]);
    expect((await fetch(`${t.base}/admin/model/big`)).status).toBe(404);
  });
});
