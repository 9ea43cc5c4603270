import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { configPart, pluginConfig, putModel, writePassThroughPlugin } from '../support/admin-client';
import { THRESHOLD_ONNX, thresholdConfig } from '../support/hardening-support';
import {
  DT_UINT8,
  PY_BOUNDARY,
  errorMessage,
  pyMultipart,
  request,
  writeTestNifti,
} from '../support/inference-helpers';
import { useTestApp } from '../support/test-app';

jest.setTimeout(60_000);

/** Every route that takes multipart parts. */
const UPLOAD_ROUTES = [
  ['POST', '/v1/segmentation?model=spleen'],
  ['POST', '/v1/inference?model=spleen'],
  ['POST', '/v1/mask2polygon'],
  ['POST', '/v1/fixpolygon'],
  ['PUT', '/session/'],
  ['PUT', '/admin/model/other'],
] as const;

/** A JSON body of about 200 kB: twice the body parsers' 100 kB limit. */
const BIG_JSON = Buffer.from(JSON.stringify({ padding: 'x'.repeat(200_000) }));

/**
 * A raw HTTP/1.1 request that reads the reply's head and `fraction` of its `Content-Length` bytes of body, then
 * destroys the socket at once: with 1, a client that has every byte and goes away before the server saw its reply
 * finish; with less, one that gives up half-way.
 */
function readThenClose(port: number, head: string, body: Buffer, fraction: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        return;
      }
      const length = Number(/content-length: (\d+)/i.exec(received.subarray(0, end).toString())?.[1]);
      if (received.length - end - 4 >= length * fraction) {
        socket.destroy();
        resolve(Number(received.subarray(9, 12).toString()));
      }
    });
    socket.on('error', reject);
    socket.write(head);
    socket.write(body);
  });
}

describe('statuses of bodies the routes do not take, and of replies clients close early', () => {
  // Room in the queue for the 22 concurrent replies below.
  const t = useTestApp({ heavyQueue: 32 }, writePassThroughPlugin);

  beforeAll(async () => {
    const res = await putModel(t.base, 'spleen', {
      config: configPart(thresholdConfig(1)),
      data: { data: THRESHOLD_ONNX, filename: 'model.onnx' },
    });
    expect(res.status).toBe(200);
    // Echoes the image back as an uncompressed NIfTI: a reply of several MB, sent in many writes.
    const echo = pluginConfig({ writer: { name: 'WriteNifti', args: { field: 'image', compressed: false } } });
    expect((await putModel(t.base, 'echo', { config: configPart(echo) })).status).toBe(200);
  });

  it.each(UPLOAD_ROUTES)(
    '%s %s: a 200 kB JSON body is 413 naming the limit and multipart/form-data',
    async (method, url) => {
      const reply = await request(method, `${t.base}${url}`, BIG_JSON, { 'Content-Type': 'application/json' });
      expect(reply.status).toBe(413);
      expect(errorMessage(reply)).toBe(
        `request body: a application/json body of ${BIG_JSON.length} bytes is over the 102400-byte limit of JSON and ` +
          'urlencoded bodies; routes that take images or models expect multipart/form-data',
      );
    },
  );

  it.each(UPLOAD_ROUTES)('%s %s: a small urlencoded body is 415 naming the parts expected', async (method, url) => {
    const reply = await request(method, `${t.base}${url}`, Buffer.from('params=%7B%7D'), {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(reply.status).toBe(415);
    expect(errorMessage(reply)).toMatch(/multipart\/form-data.*'(params|config)'/);
  });

  it('a JSON body that is not JSON is 400 (not 500), on any route', async () => {
    const reply = await request('DELETE', `${t.base}/session/abc`, Buffer.from('{"a":'), {
      'Content-Type': 'application/json',
    });
    expect(reply.status).toBe(400);
    expect(errorMessage(reply)).toMatch(/JSON/);
  });

  it.each([
    ['once they have every byte', 1],
    ['half-way', 0.5],
  ])('22 image replies of 2 MB whose clients close %s: no error in the log', async (_when, fraction) => {
    const port = Number(new URL(t.base).port);
    const volume = writeTestNifti({ dims: [128, 128, 128], datatype: DT_UINT8, voxels: new Uint8Array(128 ** 3) });
    const body = pyMultipart({ params: '{}' }, [{ field: 'datapoint', filename: 'ct.nii', content: volume }]);
    const head =
      'POST /v1/inference?model=echo&output=image HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Content-Type: multipart/form-data; boundary=${PY_BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`;
    const statuses = await Promise.all(Array.from({ length: 22 }, () => readThenClose(port, head, body, fraction)));
    expect(statuses).toEqual(new Array(22).fill(200));
    // Give the server a moment to notice the closed sockets.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = await fs.readFile(path.join(t.workspace, 'logs', 'aiaa.log'), 'utf8');
    expect(log.split('\n').filter((line) => / ERROR /.test(line))).toEqual([]);
    expect(log).not.toMatch(/Premature close/);
  });
});
