// Shared pieces of the hardening specs: a tiny CT with a hand-computed mask, the ONNX threshold model and its config,
// a raw streaming upload that can stop half-way, and the registry-versus-folders consistency check.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as path from 'node:path';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import {
  DT_INT16,
  parseMultipartReply,
  pyMultipart,
  readTestNifti,
  writeTestNifti,
  type FilePart,
} from './inference-helpers';

/** A 6×5×4 int16 volume (x fastest): 0 everywhere but 100 on the 2×2×2 block x 2..3, y 1..2, z 1..2. */
export const DIMS: [number, number, number] = [6, 5, 4];
const ct = new Int16Array(DIMS[0] * DIMS[1] * DIMS[2]);
for (let z = 1; z <= 2; z++) {
  for (let y = 1; y <= 2; y++) {
    for (let x = 2; x <= 3; x++) {
      ct[x + DIMS[0] * (y + DIMS[1] * z)] = 100;
    }
  }
}
export const CT_FILE = writeTestNifti({ dims: DIMS, datatype: DT_INT16, voxels: ct });
/** The mask the threshold model answers on {@link CT_FILE}, computed by hand: 1 on the block. */
export const EXPECTED_MASK = Array.from(ct, (v) => (v === 100 ? 1 : 0));

/** Two-channel logits of x > 0.5: after the window [0, 100] → [0, 1] and argmax, 100 → 1 and 0 → 0. */
export const THRESHOLD_ONNX = Buffer.from(buildThresholdSegmenter({ threshold: 0.5 }));

/** A segmentation config running {@link THRESHOLD_ONNX} natively, its version in `version`. */
export function thresholdConfig(version: number): Record<string, unknown> {
  return {
    version,
    type: 'segmentation',
    labels: ['spleen'],
    description: `threshold v${version}`,
    pre_transforms: [
      { name: 'ScaleIntensityRanged', args: { keys: 'image', a_min: 0, a_max: 100, b_min: 0, b_max: 1, clip: true } },
    ],
    inference: { input: 'image', output: 'model' },
    post_transforms: [{ name: 'ArgmaxAcrossChannels', args: { fields: 'model' } }],
    writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
  };
}

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The datapoint part of a segmentation request. */
export const datapoint = (content: Buffer = CT_FILE, field = 'datapoint', filename = 'ct.nii'): FilePart => ({
  field,
  filename,
  content,
});

/** The multipart body of `PUT /admin/model/{name}` with a config file part and a data file part. */
export function modelUploadBody(config: unknown, data: Buffer, boundary: string): Buffer {
  return pyMultipart(
    {},
    [
      { field: 'config', filename: 'config_aiaa.json', content: Buffer.from(JSON.stringify(config)) },
      { field: 'data', filename: 'model.onnx', content: data },
    ],
    boundary,
  );
}

/** A request whose body is sent only in part: the first `sentBytes` of `body` with the full Content-Length. */
export interface PartialRequest {
  readonly req: http.ClientRequest;
  /** Settles when the connection ends, whatever the reason (never rejects). */
  readonly settled: Promise<number | Error>;
}

export function sendPartially(
  method: string,
  url: string,
  body: Buffer,
  sentBytes: number,
  headers: Record<string, string>,
): PartialRequest {
  const req = http.request(url, { method, headers: { ...headers, 'Content-Length': String(body.length) } });
  const settled = new Promise<number | Error>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', resolve);
    });
    req.on('error', resolve);
  });
  req.write(body.subarray(0, sentBytes));
  return { req, settled };
}

/** Polls `check` every 50 ms until it returns true or `timeoutMs` passes; returns its last answer. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) {
      return true;
    }
    if (Date.now() > deadline) {
      return false;
    }
    await sleep(50);
  }
}

/** Entries of a folder, recursively, sorted; [] when it does not exist. */
export async function listing(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { recursive: true })).map(String).sort();
  } catch {
    return [];
  }
}

interface Summary {
  name: string;
  version: string;
  activeVersion: number;
  versions: number[];
  modelFile?: string;
  sha256: string;
  loaded: boolean;
}

/**
 * The registry (`GET /admin/model`) against `<workspace>/models`: the sorted names of both sides, and each model's
 * problems: a kept version without its folder (or a folder without a version), and an active version whose model
 * file on disk does not have the row's sha256.
 */
export async function registryState(
  base: string,
  workspace: string,
): Promise<{ rows: Summary[]; folders: string[]; hashMismatches: string[] }> {
  const res = await fetch(`${base}/admin/model`);
  if (res.status !== 200) {
    throw new Error(`GET /admin/model answered ${res.status}: ${await res.text()}`);
  }
  const rows = ((await res.json()) as Summary[]).sort((a, b) => a.name.localeCompare(b.name));
  const folders = (await fs.readdir(path.join(workspace, 'models')).catch(() => [] as string[])).sort();
  const hashMismatches: string[] = [];
  for (const row of rows) {
    const dir = path.join(workspace, 'models', row.name);
    const onDisk = (await fs.readdir(dir).catch(() => [] as string[]))
      .filter((entry) => !entry.startsWith('.'))
      .sort((a, b) => Number(a) - Number(b));
    if (onDisk.join() !== row.versions.join()) {
      hashMismatches.push(`${row.name}: folders [${onDisk.join(', ')}], versions [${row.versions.join(', ')}]`);
    }
    if (row.modelFile) {
      const file = path.join(dir, String(row.activeVersion), row.modelFile);
      const actual = await fs.readFile(file).then(sha256Hex, () => 'missing');
      if (actual !== row.sha256) {
        hashMismatches.push(
          `${row.name}/${row.activeVersion}/${row.modelFile}: ${actual} on disk, ${row.sha256} in the registry`,
        );
      }
    }
  }
  return { rows, folders, hashMismatches };
}

/** The mask voxels of a segmentation reply (multipart: params + NIfTI), read independently of the server. */
export function maskOf(reply: { status: number; headers: http.IncomingHttpHeaders; body: Buffer }): number[] {
  const image = parseMultipartReply(reply).find((p) => p.filename !== undefined);
  if (!image) {
    throw new Error('the reply has no file part');
  }
  return readTestNifti(image.body).voxels;
}
