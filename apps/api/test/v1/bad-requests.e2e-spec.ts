import * as fs from 'node:fs/promises';
import { errorMessage, sendPyMultipart } from '../support/inference-helpers';
import { configPart, putModel } from '../support/admin-client';
import { copyDemoModels } from '../support/demo-models';
import { useTestApp } from '../support/test-app';
import { badRequests } from '../support/bad-request-corpus';
import { EXPECTED_MASK, THRESHOLD_ONNX, datapoint, maskOf, thresholdConfig } from '../support/hardening-support';

jest.setTimeout(120_000);

const MODELS = { segmentation: 'spleen', deepgrow: 'deepgrow_ct_window', dextr3d: 'annotation_ct_dextr3d' };

describe('bad requests to /v1/*: each answers its 4xx naming the field, fast, and the server keeps serving', () => {
  const t = useTestApp({}, (workspace) => copyDemoModels(workspace, [MODELS.deepgrow, MODELS.dextr3d]));

  beforeAll(async () => {
    const res = await putModel(t.base, MODELS.segmentation, {
      config: configPart(thresholdConfig(1)),
      data: { data: THRESHOLD_ONNX, filename: 'model.onnx' },
    });
    expect(res.status).toBe(200);
  });

  const cases = badRequests(MODELS);

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const started = Date.now();
    const reply = await sendPyMultipart('POST', `${t.base}${c.url}`, c.fields, c.files);
    const elapsedMs = Date.now() - started;
    const message = errorMessage(reply);
    expect({ status: reply.status, message }).toEqual({ status: c.status, message: expect.any(String) });
    for (const fragment of c.message) {
      expect(message).toMatch(fragment);
    }
    // Refused from the header or the parts, never after allocating or decoding the volume.
    expect(elapsedMs).toBeLessThan(5_000);
    // The reply never shows the server's own paths.
    expect(message).not.toContain(t.workspace);
  });

  it('names the client file (the base name the Python client sends), not the server temp path', async () => {
    const reply = await sendPyMultipart(
      'POST',
      `${t.base}/v1/segmentation?model=${MODELS.segmentation}`,
      { params: '{}' },
      [datapoint(Buffer.alloc(0), 'datapoint', '/home/user/spleen_01.nii')],
    );
    expect(reply.status).toBe(400);
    expect(errorMessage(reply)).toBe('spleen_01.nii: sizeof_hdr: the file is empty');
  });

  it('after the whole corpus the server still answers a valid segmentation with the hand-computed mask', async () => {
    const reply = await sendPyMultipart(
      'POST',
      `${t.base}/v1/segmentation?model=${MODELS.segmentation}`,
      {
        params: '{}',
      },
      [datapoint()],
    );
    expect(reply.status).toBe(200);
    expect(maskOf(reply)).toEqual(EXPECTED_MASK);
    expect((await fetch(`${t.base}/v1/models`)).status).toBe(200);
  });

  it('never writes request bodies to the log: neither params nor file bytes of failed and served requests', async () => {
    const marker = 'body-marker-7c1e';
    const withMarker = Buffer.concat([Buffer.from(marker), Buffer.alloc(400)]);
    const requests: { fields: Record<string, string>; files: ReturnType<typeof datapoint>[] }[] = [
      // refused: not a NIfTI, params not JSON, an unknown field (its name is in the reply and log, its value is not),
      // then served
      { fields: { params: `{"note": "${marker}"}` }, files: [datapoint(withMarker)] },
      { fields: { params: `{"${marker}": ` }, files: [datapoint()] },
      { fields: { params: '{}', extra: marker }, files: [datapoint()] },
      { fields: { params: JSON.stringify({ note: marker }) }, files: [datapoint()] },
    ];
    const statuses: number[] = [];
    for (const { fields, files } of requests) {
      statuses.push(
        (await sendPyMultipart('POST', `${t.base}/v1/segmentation?model=${MODELS.segmentation}`, fields, files)).status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 200]);
    // The failures are logged (one line each), their bodies are not.
    const log = await fs.readFile(t.config.logFile, 'utf8');
    expect(log).toMatch(/POST \/v1\/segmentation.* → 400/);
    expect(log).not.toContain(marker);
  });
});
