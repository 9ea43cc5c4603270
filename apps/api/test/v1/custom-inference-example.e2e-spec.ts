import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import {
  DT_INT16,
  DT_UINT8,
  parseMultipartReply,
  readTestNifti,
  sendPyMultipart,
  writeTestNifti,
} from '../support/inference-helpers';
import { DEMO_MODEL_NAMES, copyDemoModels } from '../support/demo-models';
import { logProblems, startServerProcess, type ServerProcess } from '../support/server-process';
import { makeWorkspace, removeWorkspace } from '../support/test-app';

const run = promisify(execFile);

// A server process, curl and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(60_000);

/** The example as the repository ships it: `workspace/lib/custom_inference.ts`. */
const EXAMPLE = path.resolve(__dirname, '../../../../workspace/lib/custom_inference.ts');
const CONFIG = path.join(__dirname, '../fixtures/custom_inference/config_aiaa.json');

// A 6×5×4 int16 CT-like volume (x fastest): -1000 (air) everywhere but a 2×2×2 block of 200 at x 2..3, y 1..2, z 1..2.
const DIMS: [number, number, number] = [6, 5, 4];
const ct = new Int16Array(DIMS[0] * DIMS[1] * DIMS[2]).fill(-1000);
for (let z = 1; z <= 2; z++) {
  for (let y = 1; y <= 2; y++) {
    for (let x = 2; x <= 3; x++) {
      ct[x + DIMS[0] * (y + DIMS[1] * z)] = 200;
    }
  }
}

/**
 * The expected mask, computed here step by step from the config and the seed's description, not by the server:
 * window [-100, 300] → [0, 1] clipped; CustomInference inverts floats (1 - x); the network puts x > 0.5 in channel 1
 * (ties to channel 0); argmax over channels.
 */
const expectedMask = Array.from(ct, (v) => {
  const windowed = Math.min(1, Math.max(0, (v + 100) / 400));
  const inverted = 1 - windowed;
  return inverted - 0.5 > 0.5 - inverted ? 1 : 0;
});

// The server runs as `npm start` runs it, in its own process: the seed's claim is about that server, and a plugin's
// typed arrays then live in the one realm onnxruntime checks against (a test runner's sandbox adds a second).
describe("the seed's example end to end: curl PUT of custom_inference to `npm start`, then /v1/segmentation", () => {
  let workspace: string;
  let server: ServerProcess;
  let upload: string;

  beforeAll(async () => {
    workspace = await makeWorkspace();
    await fs.mkdir(path.join(workspace, 'lib'), { recursive: true });
    await fs.copyFile(EXAMPLE, path.join(workspace, 'lib', 'custom_inference.ts'));
    await copyDemoModels(workspace);
    upload = path.join(workspace, 'upload');
    await fs.mkdir(upload);
    await fs.copyFile(CONFIG, path.join(upload, 'config_aiaa.json'));
    await fs.writeFile(path.join(upload, 'model.onnx'), buildThresholdSegmenter({ threshold: 0.5 }));
    server = await startServerProcess(workspace);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await removeWorkspace(workspace);
  });

  it('serves every demo model the repository ships at boot (registered from its folder)', async () => {
    const demos = [...DEMO_MODEL_NAMES];
    const models = (await (await fetch(`${server.base}/v1/models`)).json()) as { name: string }[];
    expect({ served: models.map((m) => m.name).sort(), problems: logProblems(workspace) }).toEqual({
      served: demos.sort(),
      problems: '',
    });
  });

  it('accepts the exact curl of the seed: 200 with the model summary, engine native', async () => {
    const { stdout } = await run(
      'curl',
      [
        '-sS',
        '-w',
        '\n%{http_code}',
        '-X',
        'PUT',
        `${server.base}/admin/model/custom_inference?native=true`,
        '-F',
        'config=@config_aiaa.json;type=application/json',
        '-F',
        'data=@model.onnx',
      ],
      { cwd: upload, timeout: 30_000 },
    );
    const status = stdout.slice(stdout.lastIndexOf('\n') + 1);
    const body = JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n'))) as Record<string, unknown>;
    expect({ status, body }).toMatchObject({
      status: '200',
      body: { name: 'custom_inference', type: 'segmentation', engine: 'native', modelFile: 'model.onnx', loaded: true },
    });
    const models = (await (await fetch(`${server.base}/v1/models`)).json()) as { name: string }[];
    expect(models.map((m) => m.name)).toContain('custom_inference');
  });

  it('segments with it: the mask is the inverted, thresholded image on the input grid', async () => {
    const image = writeTestNifti({
      dims: DIMS,
      datatype: DT_INT16,
      voxels: ct,
      spacing: [0.8, 0.8, 2.5],
      origin: [10, -20, 30],
    });
    const reply = await sendPyMultipart(
      'POST',
      `${server.base}/v1/segmentation?model=custom_inference`,
      { params: '{}' },
      [{ field: 'datapoint', filename: 'ct.nii', content: image }],
    );
    const failure = reply.status === 200 ? '' : `${reply.body.toString()}\n${logProblems(workspace)}`;
    expect({ status: reply.status, failure }).toEqual({ status: 200, failure: '' });
    const parts = parseMultipartReply(reply);
    const mask = readTestNifti(parts.find((p) => p.filename !== undefined)?.body ?? Buffer.alloc(0));
    expect(mask.dims).toEqual(DIMS);
    expect(mask.datatype).toBe(DT_UINT8);
    expect(mask.voxels).toEqual(expectedMask);
    expect(mask.voxels.filter((v) => v === 1)).toHaveLength(ct.length - 8);
    const params = JSON.parse(parts.find((p) => p.name === 'params')?.body.toString() ?? 'null') as {
      points: number[][];
    };
    expect(params.points).toHaveLength(6);
    for (const [x, y, z] of params.points) {
      expect(expectedMask[(x as number) + DIMS[0] * ((y as number) + DIMS[1] * (z as number))]).toBe(1);
    }
  });
});
