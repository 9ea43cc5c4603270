import * as http from 'node:http';
import * as path from 'node:path';
import { PY_BOUNDARY, pyMultipart } from '../support/inference-helpers';
import { configPart, pluginConfig, putModel, writePassThroughPlugin } from '../support/admin-client';
import { useTestApp } from '../support/test-app';
import {
  CT_FILE,
  listing,
  modelUploadBody,
  sleep,
  THRESHOLD_ONNX,
  thresholdConfig,
} from '../support/hardening-support';

jest.setTimeout(60_000);

const MULTIPART = { 'Content-Type': `multipart/form-data; boundary=${PY_BOUNDARY}` };

interface Reply {
  readonly status: number;
  readonly connection: string | undefined;
  readonly body: string;
  readonly ms: number;
}

/**
 * Sends `body` in `chunks` pieces, `pauseMs` apart, with the full Content-Length, and stops after `stopAfter` pieces
 * (the rest never comes). Resolves with the reply, or rejects when the connection ends without one.
 */
function trickle(
  method: string,
  url: string,
  body: Buffer,
  options: { chunks: number; pauseMs: number; stopAfter?: number },
): Promise<Reply> {
  const started = Date.now();
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(url, {
      method,
      headers: { ...MULTIPART, 'Content-Length': String(body.length) },
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          connection: res.headers.connection,
          body: Buffer.concat(parts).toString(),
          ms: Date.now() - started,
        }),
      );
    });
    req.on('error', reject);
    const size = Math.ceil(body.length / options.chunks);
    const send = async (): Promise<void> => {
      for (let i = 0; i < Math.min(options.chunks, options.stopAfter ?? options.chunks); i++) {
        if (req.destroyed) {
          return;
        }
        req.write(body.subarray(i * size, (i + 1) * size));
        await sleep(options.pauseMs);
      }
      if (options.stopAfter === undefined) {
        req.end();
      }
    };
    void send();
  });
}

describe('uploads with --upload_idle_timeout_sec 1: a stalled body answers 408, a slow one that keeps moving is served', () => {
  const t = useTestApp({ uploadIdleTimeoutSec: 1 });

  beforeAll(async () => {
    await writePassThroughPlugin(t.workspace);
    expect((await putModel(t.base, 'pass', { config: configPart(pluginConfig()) })).status).toBe(200);
  });

  it('a /v1 upload that stops half-way: 408 naming the limit, the connection closed, no request folder left', async () => {
    const body = pyMultipart({ params: '{}' }, [{ field: 'datapoint', filename: 'ct.nii', content: CT_FILE }]);
    const reply = await trickle('POST', `${t.base}/v1/inference?model=pass`, body, {
      chunks: 4,
      pauseMs: 10,
      stopAfter: 2,
    });
    expect(reply.status).toBe(408);
    expect(reply.connection).toBe('close');
    expect(JSON.parse(reply.body)).toMatchObject({
      statusCode: 408,
      message: expect.stringContaining('no bytes received for 1 s') as unknown,
    });
    expect(reply.ms).toBeLessThan(5_000);
    expect(await listing(path.join(t.workspace, 'sessions', 'tmp'))).toEqual([]);
  });

  it('a model upload that stops half-way: 408, nothing staged or registered', async () => {
    const body = modelUploadBody(thresholdConfig(1), THRESHOLD_ONNX, PY_BOUNDARY);
    const reply = await trickle('PUT', `${t.base}/admin/model/stalled`, body, { chunks: 4, pauseMs: 10, stopAfter: 2 });
    expect(reply.status).toBe(408);
    expect(reply.body).toContain('model upload: no bytes received for 1 s');
    expect(await listing(t.config.stagingDir)).toEqual([]);
    expect((await fetch(`${t.base}/admin/model/stalled`)).status).toBe(404);
  });

  it('a session upload sent in 8 pieces 400 ms apart (3 s in all, never 1 s silent) is served', async () => {
    const body = pyMultipart({ params: '{}' }, [{ field: 'image', filename: 'ct.nii', content: CT_FILE }]);
    const reply = await trickle('PUT', `${t.base}/session/?expiry=60`, body, { chunks: 8, pauseMs: 400 });
    expect(reply.status).toBe(200);
    expect(reply.ms).toBeGreaterThan(2_500);
    expect(JSON.parse(reply.body)).toHaveProperty('session_id');
  });

  it('keeps serving afterwards', async () => {
    expect((await fetch(`${t.base}/v1/models`)).status).toBe(200);
  });
});
