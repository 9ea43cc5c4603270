import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { DT_INT16, writeTestNifti } from '../support/inference-helpers';
import { configPart, putModel } from '../support/admin-client';
import { PY_CLIENT_SCRIPT, hasPythonCgi } from '../support/python-client';
import { useTestApp } from '../support/test-app';

const itWithPython = hasPythonCgi() ? it : it.skip;

describe("the official Python client's reply parsing (cgi.FieldStorage on the raw socket) against the real app", () => {
  // One worker thread, as the server runs by default (`--workers 1`): the models run off the event loop, in the
  // realm onnxruntime was loaded in.
  const t = useTestApp({ workers: 1 });
  let image: string;

  beforeAll(async () => {
    // Window [0, 100] → [0, 1], the ONNX threshold model at 0.5, argmax, extreme points, NIfTI writer.
    const config = {
      version: 1,
      type: 'segmentation',
      labels: ['spleen'],
      pre_transforms: [
        { name: 'ScaleIntensityRanged', args: { keys: 'image', a_min: 0, a_max: 100, b_min: 0, b_max: 1, clip: true } },
      ],
      inference: { input: 'image', output: 'model' },
      post_transforms: [
        { name: 'ArgmaxAcrossChannels', args: { fields: 'model' } },
        { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
      ],
      writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
    };
    const upload = await putModel(t.base, 'segmentation_ct_spleen', {
      config: configPart(config),
      data: { data: Buffer.from(buildThresholdSegmenter({ threshold: 0.5 })), filename: 'model.onnx' },
    });
    expect(upload.status).toBe(200);
    const voxels = new Int16Array(4 * 4 * 3);
    voxels[1 + 4 * (2 + 4 * 1)] = 100;
    image = path.join(t.workspace, 'ct.nii');
    await fs.writeFile(image, writeTestNifti({ dims: [4, 4, 3], datatype: DT_INT16, voxels }));
  }, 60_000);

  // Skipped where python3 lacks the cgi module (Python ≥ 3.13), which the official client needs too.
  itWithPython('reads the params field and the result file of a /v1/segmentation reply', async () => {
    const port = new URL(t.base).port;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        'python3',
        [PY_CLIENT_SCRIPT, '127.0.0.1', port, '/v1/segmentation?model=segmentation_ct_spleen', '{}', image],
        { timeout: 30_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    });
    const summary = JSON.parse(stdout) as {
      status: number;
      params: { points: number[][] };
      files: Record<string, { filename: string; bytes: number }>;
    };
    expect(summary.status).toBe(200);
    // A single foreground voxel at (1, 2, 1): all six extreme points are that voxel.
    expect(summary.params.points).toEqual(Array.from({ length: 6 }, () => [1, 2, 1]));
    expect(Object.keys(summary.files)).toEqual(['image']);
    expect(summary.files['image']?.filename).toBe('result.nii.gz');
    expect(summary.files['image']?.bytes).toBeGreaterThan(0);
  });
});
