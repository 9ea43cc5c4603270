import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { InferenceOptions } from '../../src/inference/inference-options';
import {
  DT_INT16,
  DT_UINT8,
  PY_BOUNDARY,
  errorMessage,
  parseMultipartReply,
  pyMultipart,
  readTestNifti,
  request,
  sendPyMultipart,
  writeTestNifti,
  type FilePart,
  type RawReply,
} from '../support/inference-helpers';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { configPart, putModel } from '../support/admin-client';
import { useTestApp, type TestApp } from '../support/test-app';

// An 8×6×4 int16 volume (x fastest), 0 everywhere but a 7-voxel cross of 100 centred on (4, 3, 2).
const DIMS: [number, number, number] = [8, 6, 4];
const CROSS: [number, number, number][] = [
  [4, 3, 2],
  [3, 3, 2],
  [5, 3, 2],
  [4, 2, 2],
  [4, 4, 2],
  [4, 3, 1],
  [4, 3, 3],
];
const index = ([x, y, z]: readonly number[]): number =>
  (x as number) + DIMS[0] * ((y as number) + DIMS[1] * (z as number));
const ct = new Int16Array(DIMS[0] * DIMS[1] * DIMS[2]);
for (const p of CROSS) {
  ct[index(p)] = 100;
}
const CT_FILE = writeTestNifti({ dims: DIMS, datatype: DT_INT16, voxels: ct, spacing: [2, 2, 3], origin: [-10, 5, 0] });
/** The mask the threshold model must answer: 1 on the cross, 0 elsewhere (hand-computed). */
const EXPECTED_MASK = Array.from(ct, (v) => (v === 100 ? 1 : 0));
/** Its six extreme points (smallest/largest x, y, z), each unique on a cross. */
const EXTREME_POINTS = CROSS.slice(1).map((p) => [...p]);
const sorted = (points: unknown): string[] => (points as number[][]).map((p) => p.join(',')).sort();

const datapoint = (content = CT_FILE, field = 'datapoint'): FilePart => ({
  field,
  filename: '/home/user/ct.nii',
  content,
});
function post(t: TestApp, endpoint: string, params: unknown, files: FilePart[]): Promise<RawReply> {
  return sendPyMultipart(
    'POST',
    `${t.base}${endpoint}`,
    { params: typeof params === 'string' ? params : JSON.stringify(params) },
    files,
  );
}

/** The params JSON and the NIfTI of an AIAA multipart reply, parsed independently of the server. */
function multipartResult(reply: RawReply): {
  params: Record<string, unknown>;
  filename: string | undefined;
  nifti: ReturnType<typeof readTestNifti>;
} {
  const parts = parseMultipartReply(reply);
  const params = parts.find((p) => p.name === 'params' && p.filename === undefined);
  const image = parts.find((p) => p.filename !== undefined);
  if (!params || !image) {
    throw new Error(`expected a params part and a file part, got ${parts.map((p) => p.name).join(', ')}`);
  }
  expect(image.name).toBe('image');
  expect(image.headers['content-type']).toBe('application/octet-stream');
  return {
    params: JSON.parse(params.body.toString('utf8')) as Record<string, unknown>,
    filename: image.filename,
    nifti: readTestNifti(image.body),
  };
}

/** Request folders still on disk, after giving the server up to 2 s to remove them (it does so after replying). */
async function uploadsLeft(t: TestApp): Promise<string[]> {
  const dir = t.app.get(InferenceOptions).uploadsDir;
  let left = await fs.readdir(dir);
  for (let i = 0; i < 200 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
    left = await fs.readdir(dir);
  }
  return left;
}

/** The ONNX threshold model: two-channel logits of x > 0.5, so after the window and argmax, 100 → 1 and 0 → 0. */
const THRESHOLD_ONNX = Buffer.from(buildThresholdSegmenter({ threshold: 0.5 }));

/** A config of the given type: window [0, 100] → [0, 1], NativeInference, argmax, extreme points, NIfTI writer. */
function thresholdConfig(type: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    type,
    labels: ['spleen'],
    description: `threshold ${type} model`,
    pre_transforms: [
      { name: 'ScaleIntensityRanged', args: { keys: 'image', a_min: 0, a_max: 100, b_min: 0, b_max: 1, clip: true } },
    ],
    inference: { input: 'image', output: 'model' },
    post_transforms: [
      { name: 'ArgmaxAcrossChannels', args: { fields: 'model' } },
      { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
    ],
    writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
    ...overrides,
  };
}

// A user's inference in <workspace>/lib that waits for the request to be cancelled, leaving marker files.
const SLOW_PLUGIN = `
import * as fs from 'node:fs';
import { CancelledError } from '@aiaa/core';
import { Inference } from '@aiaa/inference';

export class SlowInference extends Inference {
  constructor(args) {
    super();
    this.marker = args.marker;
  }

  async inference(name, data) {
    fs.writeFileSync(this.marker + '.started', '');
    for (let waited = 0; waited < 20000 && !data.signal?.aborted; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (data.signal?.aborted) {
      fs.writeFileSync(this.marker + '.cancelled', '');
      throw new CancelledError('cancelled while waiting');
    }
    return data;
  }
}
`;

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

describe('POST /v1/{segmentation,dextr3d,deepgrow,inference} (models uploaded via PUT /admin/model, real HTTP, real NIfTI)', () => {
  // One worker thread, as the server runs by default (`--workers 1`): the models run off the event loop, in the
  // realm onnxruntime was loaded in.
  const t = useTestApp({ workers: 1 });
  let marker: string;

  beforeAll(async () => {
    marker = path.join(t.workspace, 'slow');
    await fs.mkdir(path.join(t.workspace, 'lib'), { recursive: true });
    await fs.writeFile(path.join(t.workspace, 'lib', 'slow_inference.js'), SLOW_PLUGIN);
    const models: [string, Record<string, unknown>][] = [
      ['segmentation_ct_spleen', thresholdConfig('segmentation')],
      ['annotation_ct_spleen', thresholdConfig('annotation')],
      [
        'clara_deepgrow',
        thresholdConfig('deepgrow', { inference: { input: 'image', output: 'model', meta_data: { deepgrow: '3D' } } }),
      ],
      // Keeps the windowed image of a session after its first click (AIAA's `cache_until`).
      [
        'deepgrow_cached',
        thresholdConfig('deepgrow', {
          cache_until: 'ScaleIntensityRanged',
          inference: { input: 'image', output: 'model', meta_data: { deepgrow: '3D' } },
        }),
      ],
      // A JSON-only writer: the reply is the result JSON alone, as a classification model's.
      [
        'classify',
        thresholdConfig('classification', {
          writer: { name: 'aiaa.transforms.Writer', args: { image: null, json: 'result' } },
        }),
      ],
      [
        'slow',
        thresholdConfig('segmentation', {
          inference: { name: 'slow_inference.SlowInference', args: { marker } },
          post_transforms: [],
          writer: undefined,
        }),
      ],
    ];
    for (const [name, config] of models) {
      const data = name === 'slow' ? {} : { data: { data: THRESHOLD_ONNX, filename: 'model.onnx' } };
      const upload = await putModel(t.base, name, { config: configPart(config), ...data });
      if (upload.status !== 200) {
        throw new Error(`PUT /admin/model/${name}: ${upload.status} ${await upload.text()}`);
      }
    }
  }, 60_000);

  it('segmentation (Python client shape): 200 multipart with params.points and the mask as result.nii.gz', async () => {
    const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, [datapoint()]);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
    expect(reply.headers['transfer-encoding']).toBeUndefined();
    expect(reply.headers['server-timing']).toMatch(/\bread;dur=[\d.]+.*\binference;dur=[\d.]+.*\btotal;dur=[\d.]+/);
    const result = multipartResult(reply);
    expect(result.filename).toBe('result.nii.gz');
    expect(sorted(result.params['points'])).toEqual(sorted(EXTREME_POINTS));
    expect(result.nifti.dims).toEqual(DIMS);
    expect(result.nifti.datatype).toBe(DT_UINT8);
    expect(result.nifti.voxels).toEqual(EXPECTED_MASK);
    // Same grid as the input: the sform written by writeTestNifti.
    expect(result.nifti.srow).toEqual([
      [2, 0, 0, -10],
      [0, 2, 0, 5],
      [0, 0, 3, 0],
    ]);
    expect(await uploadsLeft(t)).toEqual([]);
  });

  it('accepts the image under `image` as the C++ client and OHIF send it', async () => {
    const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, [datapoint(CT_FILE, 'image')]);
    expect(reply.status).toBe(200);
    expect(multipartResult(reply).nifti.voxels).toEqual(EXPECTED_MASK);
  });

  it('answers an HTTP/1.0 request as the C++ client (Poco HTMLForm) sends it, then closes', async () => {
    // Poco's HTMLForm: boundary "MIME_boundary_...", the file part named `image`, HTTP/1.0 for multipart requests.
    const boundary = 'MIME_boundary_01234567';
    const body = pyMultipart({ params: '{}' }, [datapoint(CT_FILE, 'image')], boundary);
    const url = new URL(t.base);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(Number(url.port), '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks)));
      socket.on('error', reject);
      socket.write(
        `POST /v1/segmentation?model=segmentation_ct_spleen HTTP/1.0\r\nHost: 127.0.0.1\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      socket.write(body);
    });
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, split).toString('latin1').split('\r\n');
    expect(head[0]).toMatch(/^HTTP\/1\.[01] 200 /);
    const headers = Object.fromEntries(
      head
        .slice(1)
        .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const replyBody = raw.subarray(split + 4);
    expect(headers['content-length']).toBe(String(replyBody.length));
    expect(headers['transfer-encoding']).toBeUndefined();
    const result = multipartResult({ status: 200, headers, body: replyBody });
    expect(result.nifti.voxels).toEqual(EXPECTED_MASK);
  });

  it('output=image answers the result file alone; output=json the params alone', async () => {
    const image = await post(t, '/v1/segmentation?model=segmentation_ct_spleen&output=image', {}, [datapoint()]);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('application/octet-stream');
    expect(image.headers['content-length']).toBe(String(image.body.length));
    expect(readTestNifti(image.body).voxels).toEqual(EXPECTED_MASK);
    const json = await post(t, '/v1/segmentation?model=segmentation_ct_spleen&output=json', {}, [datapoint()]);
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(sorted((JSON.parse(json.body.toString()) as Record<string, unknown>)['points'])).toEqual(
      sorted(EXTREME_POINTS),
    );
  });

  it('dextr3d takes params.points as a list (HEAD clients) or as a JSON string (clients up to 3.0)', async () => {
    for (const points of [EXTREME_POINTS, JSON.stringify(EXTREME_POINTS)]) {
      const reply = await post(t, '/v1/dextr3d?model=annotation_ct_spleen', { points }, [datapoint()]);
      expect(reply.status).toBe(200);
      expect(multipartResult(reply).nifti.voxels).toEqual(EXPECTED_MASK);
    }
  });

  it('deepgrow takes foreground/background clicks (and current_point)', async () => {
    const params = { foreground: [[4, 3, 2]], background: [], current_point: [[4, 3, 2]] };
    const reply = await post(t, '/v1/deepgrow?model=clara_deepgrow', params, [datapoint()]);
    expect(reply.status).toBe(200);
    expect(multipartResult(reply).nifti.voxels).toEqual(EXPECTED_MASK);
  });

  it('/v1/inference runs any model type and answers plain JSON when the writer writes no file', async () => {
    const seg = await post(t, '/v1/inference?model=segmentation_ct_spleen', {}, [datapoint()]);
    expect(multipartResult(seg).nifti.voxels).toEqual(EXPECTED_MASK);
    const reply = await post(t, '/v1/inference?model=classify', {}, [datapoint()]);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
    expect(sorted((JSON.parse(reply.body.toString()) as Record<string, unknown>)['points'])).toEqual(
      sorted(EXTREME_POINTS),
    );
  });

  it('runs on a session image when session_id is given and no file is sent', async () => {
    const created = await sendPyMultipart('PUT', `${t.base}/session/?expiry=60`, { params: '{}' }, [
      datapoint(CT_FILE, 'image'),
    ]);
    const id = (JSON.parse(created.body.toString()) as { session_id: string }).session_id;
    for (let click = 0; click < 2; click++) {
      const reply = await post(
        t,
        `/v1/deepgrow?model=clara_deepgrow&session_id=${id}`,
        { foreground: [[4, 3, 2]] },
        [],
      );
      expect(reply.status).toBe(200);
      expect(multipartResult(reply).nifti.voxels).toEqual(EXPECTED_MASK);
    }
  });

  it('serves repeated requests on a session image large enough to be moved to the worker (128 KiB of voxels)', async () => {
    // 64×64×16 int16, a 4×4×4 cube of 100 at x, y, z in 10..13.
    const dims: [number, number, number] = [64, 64, 16];
    const voxels = new Int16Array(dims[0] * dims[1] * dims[2]);
    const expected = new Array<number>(voxels.length).fill(0);
    for (let z = 10; z < 14; z++) {
      for (let y = 10; y < 14; y++) {
        for (let x = 10; x < 14; x++) {
          voxels[x + dims[0] * (y + dims[1] * z)] = 100;
          expected[x + dims[0] * (y + dims[1] * z)] = 1;
        }
      }
    }
    const file = writeTestNifti({ dims, datatype: DT_INT16, voxels });
    const created = await sendPyMultipart('PUT', `${t.base}/session/?expiry=60`, { params: '{}' }, [
      datapoint(file, 'image'),
    ]);
    const id = (JSON.parse(created.body.toString()) as { session_id: string }).session_id;
    for (let click = 0; click < 3; click++) {
      const reply = await post(
        t,
        `/v1/deepgrow?model=clara_deepgrow&session_id=${id}`,
        { foreground: [[11, 11, 11]] },
        [],
      );
      expect(reply.status).toBe(200);
      expect(multipartResult(reply).nifti.voxels).toEqual(expected);
    }
  });

  it('skips the pre-transforms up to cache_until from the second click on a session, with the same result', async () => {
    const created = await sendPyMultipart('PUT', `${t.base}/session/?expiry=60`, { params: '{}' }, [
      datapoint(CT_FILE, 'image'),
    ]);
    const id = (JSON.parse(created.body.toString()) as { session_id: string }).session_id;
    const click = (query: string, files: FilePart[] = []): Promise<RawReply> =>
      post(t, `/v1/deepgrow?model=deepgrow_cached${query}`, { foreground: [[4, 3, 2]] }, files);
    const replies = [
      await click(`&session_id=${id}`),
      await click(`&session_id=${id}`),
      await click('', [datapoint()]),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(replies.map((r) => /\bcache;desc=hit\b/.test(String(r.headers['server-timing'])))).toEqual([
      false,
      true,
      false, // no session: nothing names the image, so nothing is reused
    ]);
    for (const reply of replies) {
      expect(multipartResult(reply).nifti.voxels).toEqual(EXPECTED_MASK);
    }
  });

  it('cancels the run when the client disconnects and removes the request files', async () => {
    const body = pyMultipart({ params: '{}' }, [datapoint()]);
    const req = http.request(`${t.base}/v1/segmentation?model=slow`, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${PY_BOUNDARY}`,
        'Content-Length': String(body.length),
      },
    });
    req.on('error', () => undefined);
    req.end(body);
    for (let i = 0; i < 500 && !(await exists(`${marker}.started`)); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await exists(`${marker}.started`)).toBe(true);
    req.destroy();
    for (let i = 0; i < 500 && !(await exists(`${marker}.cancelled`)); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await exists(`${marker}.cancelled`)).toBe(true);
    expect(await uploadsLeft(t)).toEqual([]);
    // The server keeps serving.
    expect((await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, [datapoint()])).status).toBe(200);
  });

  it('removes a half-received upload when the client disconnects mid-body', async () => {
    const body = pyMultipart({ params: '{}' }, [datapoint(Buffer.alloc(1 << 20, 7))]);
    const req = http.request(`${t.base}/v1/segmentation?model=segmentation_ct_spleen`, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${PY_BOUNDARY}`,
        'Content-Length': String(body.length),
      },
    });
    req.on('error', () => undefined);
    req.write(body.subarray(0, body.length >> 1));
    const dir = t.app.get(InferenceOptions).uploadsDir;
    // Wait until the server has started writing the file part, then go away.
    for (let i = 0; i < 500 && (await fs.readdir(dir)).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    req.destroy();
    expect(await uploadsLeft(t)).toEqual([]);
    expect((await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, [datapoint()])).status).toBe(200);
  });

  describe('bad requests (each answered with the right status, naming what is wrong, and the server keeps serving)', () => {
    afterEach(async () => {
      expect(await uploadsLeft(t)).toEqual([]);
    });

    it('404 for an unknown model, naming it', async () => {
      const reply = await post(t, '/v1/segmentation?model=no_such_model', {}, [datapoint()]);
      expect(reply.status).toBe(404);
      expect(errorMessage(reply)).toContain("'no_such_model'");
    });

    it('400 without ?model=, naming model', async () => {
      const reply = await post(t, '/v1/segmentation', {}, [datapoint()]);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/model/);
    });

    it('400 for a model of another type, naming its type', async () => {
      const reply = await post(t, '/v1/dextr3d?model=segmentation_ct_spleen', { points: EXTREME_POINTS }, [
        datapoint(),
      ]);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toContain("type 'segmentation'");
    });

    it('400 for an unknown ?output=, naming output', async () => {
      const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen&output=xml', {}, [datapoint()]);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/output/);
    });

    it('400 without a file part and without session_id, naming datapoint', async () => {
      const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, []);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toContain("'datapoint'");
    });

    it('400 for two file parts, naming the second', async () => {
      const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, [
        datapoint(),
        datapoint(CT_FILE, 'image'),
      ]);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toContain("'image'");
    });

    it('400 for a file under another field name, naming it', async () => {
      const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, [datapoint(CT_FILE, 'volume')]);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toContain("'volume'");
    });

    it('400 for params that are not a JSON object, naming params', async () => {
      for (const params of ['{"points": [', '[1, 2]']) {
        const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen', params, [datapoint()]);
        expect(reply.status).toBe(400);
        expect(errorMessage(reply)).toContain("'params'");
      }
    });

    it('400 for dextr3d with fewer than six points or a point outside the image, naming params.points', async () => {
      const few = await post(t, '/v1/dextr3d?model=annotation_ct_spleen', { points: EXTREME_POINTS.slice(0, 5) }, [
        datapoint(),
      ]);
      expect(few.status).toBe(400);
      expect(errorMessage(few)).toContain('params.points');
      const outside = [...EXTREME_POINTS.slice(0, 5), [8, 3, 2]];
      const out = await post(t, '/v1/dextr3d?model=annotation_ct_spleen', { points: outside }, [datapoint()]);
      expect(out.status).toBe(400);
      expect(errorMessage(out)).toContain('params.points[5]');
    });

    it('400 for deepgrow without any click, naming params.foreground', async () => {
      const reply = await post(t, '/v1/deepgrow?model=clara_deepgrow', { foreground: [], background: [] }, [
        datapoint(),
      ]);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toContain('params.foreground');
    });

    it('400 for a truncated NIfTI file', async () => {
      const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, [
        datapoint(CT_FILE.subarray(0, 400)),
      ]);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply).length).toBeGreaterThan(0);
    });

    it('413 for a file over the upload limit, naming the part', async () => {
      const options = t.app.get(InferenceOptions);
      const saved = options.maxUploadBytes;
      options.maxUploadBytes = 200;
      try {
        const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, [datapoint()]);
        expect(reply.status).toBe(413);
        expect(errorMessage(reply)).toContain("'datapoint'");
      } finally {
        options.maxUploadBytes = saved;
      }
    });

    it('440 for an unknown session_id', async () => {
      const reply = await post(
        t,
        '/v1/deepgrow?model=clara_deepgrow&session_id=00000000-0000-4000-8000-000000000000',
        { foreground: [[1, 1, 1]] },
        [],
      );
      expect(reply.status).toBe(440);
    });

    it('415 for a body that is not multipart', async () => {
      const reply = await request('POST', `${t.base}/v1/segmentation?model=segmentation_ct_spleen`, Buffer.from('{}'), {
        'Content-Type': 'text/plain',
      });
      expect(reply.status).toBe(415);
      expect(errorMessage(reply)).toContain('multipart/form-data');
    });

    it('still serves after all of the above', async () => {
      const reply = await post(t, '/v1/segmentation?model=segmentation_ct_spleen', {}, [datapoint()]);
      expect(multipartResult(reply).nifti.voxels).toEqual(EXPECTED_MASK);
    });
  });
});
