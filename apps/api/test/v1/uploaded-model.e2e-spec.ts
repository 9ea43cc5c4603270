import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import {
  DT_INT16,
  DT_UINT8,
  parseMultipartReply,
  readTestNifti,
  sendPyMultipart,
  writeTestNifti,
  type FilePart,
  type RawReply,
} from '../support/inference-helpers';
import { configPart, putModel } from '../support/admin-client';
import { logProblems, startServerProcess, type ServerProcess } from '../support/server-process';
import { makeWorkspace, removeWorkspace } from '../support/test-app';

/** The repository's bring-your-own-inference example (`workspace/lib/custom_inference.ts`), copied into `lib/`. */
const EXAMPLE = path.resolve(__dirname, '../../../../workspace/lib/custom_inference.ts');

// A 6×5×4 int16 volume (x fastest): 300 HU everywhere but a 2×2×2 block of -100 HU at x 2..3, y 1..2, z 1..2.
// The window maps 300 → 1 and -100 → 0; CustomInference inverts (1 - x); the ONNX model puts x > 0.5 in channel 1,
// so the argmax marks exactly the block.
const DIMS: [number, number, number] = [6, 5, 4];
const ct = new Int16Array(DIMS[0] * DIMS[1] * DIMS[2]).fill(300);
const expectedMask = new Array<number>(ct.length).fill(0);
for (let z = 1; z <= 2; z++) {
  for (let y = 1; y <= 2; y++) {
    for (let x = 2; x <= 3; x++) {
      ct[x + DIMS[0] * (y + DIMS[1] * z)] = -100;
      expectedMask[x + DIMS[0] * (y + DIMS[1] * z)] = 1;
    }
  }
}
const CT_FILE = writeTestNifti({
  dims: DIMS,
  datatype: DT_INT16,
  voxels: ct,
  spacing: [0.8, 0.8, 2.5],
  origin: [10, -20, 30],
});

/** A v4-style config: window [-100, 300] → [0, 1], CustomInference running the ONNX threshold model, argmax, extreme
 * points, NIfTI writer. */
const CONFIG = {
  version: 1,
  type: 'segmentation',
  labels: ['spleen'],
  description: 'threshold segmenter',
  pre_transforms: [
    { name: 'ScaleIntensityRanged', args: { keys: 'image', a_min: -100, a_max: 300, b_min: 0, b_max: 1, clip: true } },
  ],
  inference: { input: 'image', output: 'model', name: 'custom_inference.CustomInference', args: {} },
  post_transforms: [
    { name: 'ArgmaxAcrossChannels', args: { fields: 'model' } },
    { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
  ],
  writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
};

/** Fails with the reply body and the server log's warnings when the status is not 200. */
function expectOk(reply: RawReply, workspace: string): void {
  if (reply.status !== 200) {
    throw new Error(`status ${reply.status}: ${reply.body.toString('utf8')}\n${logProblems(workspace)}`);
  }
}

const datapoint = (field = 'datapoint'): FilePart => ({ field, filename: 'ct.nii', content: CT_FILE });

// The server runs in its own process, as `npm start` runs it: onnxruntime refuses typed arrays made in another realm,
// which a plugin loaded inside Jest's sandbox would hand it.
describe('inference with a model uploaded through PUT /admin/model (real ONNX model, real pipeline, server process)', () => {
  let t: ServerProcess & { workspace: string };

  beforeAll(async () => {
    const workspace = await makeWorkspace();
    await fs.mkdir(path.join(workspace, 'lib'), { recursive: true });
    await fs.copyFile(EXAMPLE, path.join(workspace, 'lib', 'custom_inference.ts'));
    t = Object.assign(await startServerProcess(workspace), { workspace });
    const upload = await putModel(t.base, 'segmentation_ct_spleen', {
      config: configPart(CONFIG),
      data: { data: Buffer.from(buildThresholdSegmenter({ threshold: 0.5 })), filename: 'model.onnx' },
    });
    expect(upload.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await t.stop();
    await removeWorkspace(t.workspace);
  });

  it('lists the uploaded model in /v1/models', async () => {
    const reply = await fetch(`${t.base}/v1/models?model=segmentation_ct_spleen`);
    expect(await reply.json()).toMatchObject({
      name: 'segmentation_ct_spleen',
      type: 'segmentation',
      labels: ['spleen'],
      version: '1',
    });
  });

  it('segments the block: the mask voxels, the input grid and the six extreme points', async () => {
    const reply = await sendPyMultipart(
      'POST',
      `${t.base}/v1/segmentation?model=segmentation_ct_spleen`,
      { params: '{}' },
      [datapoint()],
    );
    expectOk(reply, t.workspace);
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
    expect(reply.headers['server-timing']).toMatch(/pre_transforms;dur=.*inference;dur=.*writer;dur=/);
    const parts = parseMultipartReply(reply);
    const params = JSON.parse(parts.find((p) => p.name === 'params')?.body.toString() ?? 'null') as {
      points: number[][];
    };
    const image = parts.find((p) => p.filename !== undefined);
    expect(image?.filename).toBe('result.nii.gz');
    const nifti = readTestNifti(image?.body ?? Buffer.alloc(0));
    expect(nifti.dims).toEqual(DIMS);
    expect(nifti.datatype).toBe(DT_UINT8);
    expect(nifti.voxels).toEqual(expectedMask);
    expect(nifti.srow[0]?.map((v) => Math.round(v * 1000) / 1000)).toEqual([0.8, 0, 0, 10]);
    expect(nifti.srow[2]?.map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 0, 2.5, 30]);
    expect(params.points).toHaveLength(6);
    for (const [x, y, z] of params.points) {
      expect(expectedMask[(x as number) + DIMS[0] * ((y as number) + DIMS[1] * (z as number))]).toBe(1);
    }
    // The six points reach the block's extent on every axis.
    for (const axis of [0, 1, 2]) {
      const values = params.points.map((p) => p[axis] as number);
      expect([Math.min(...values), Math.max(...values)]).toEqual(
        [
          [2, 3],
          [1, 2],
          [1, 2],
        ][axis],
      );
    }
  });

  it('honours result_extension and result_dtype from params (OHIF) in the file part', async () => {
    const reply = await sendPyMultipart(
      'POST',
      `${t.base}/v1/inference?model=segmentation_ct_spleen&output=image`,
      { params: JSON.stringify({ result_extension: '.nii', result_dtype: 'uint8' }) },
      [datapoint('image')],
    );
    expectOk(reply, t.workspace);
    expect(reply.headers['content-disposition']).toContain('filename="result.nii"');
    expect(reply.body.readInt32LE(0)).toBe(348);
    expect(readTestNifti(reply.body).voxels).toEqual(expectedMask);
  });

  it('runs on a session image (deepgrow-style repeated calls send only session_id)', async () => {
    const created = await sendPyMultipart('PUT', `${t.base}/session/?expiry=60`, { params: '{}' }, [
      datapoint('image'),
    ]);
    const id = (JSON.parse(created.body.toString()) as { session_id: string }).session_id;
    const reply = await sendPyMultipart(
      'POST',
      `${t.base}/v1/segmentation?model=segmentation_ct_spleen&session_id=${id}`,
      { params: '{}' },
      [],
    );
    expectOk(reply, t.workspace);
    const image = parseMultipartReply(reply).find((p) => p.filename !== undefined);
    expect(readTestNifti(image?.body ?? Buffer.alloc(0)).voxels).toEqual(expectedMask);
  });
});
