// Pieces of the multi-instance specs: uploads of the threshold model, segmentation through any instance, and how
// long until an instance shows a change.
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { sendPyMultipart } from './inference-helpers';
import { EXPECTED_MASK, datapoint, maskOf, sleep, thresholdConfig } from './hardening-support';
import { startServerProcess, type ServerProcess } from './server-process';

/** A threshold no voxel passes: this version answers an empty mask, telling it apart from THRESHOLD_ONNX's. */
export const EMPTY_ONNX = Buffer.from(buildThresholdSegmenter({ threshold: 1.5 }));
export const EMPTY_MASK = EXPECTED_MASK.map(() => 0);
/** How soon a change on one instance must be served by the others (the polling interval is 1 s). */
export const PROPAGATION_MS = 2000;

/** A server process on the shared `workspace` and PostgreSQL `db`, as instance `id`, polling every second. */
export function startInstance(
  workspace: string,
  db: string,
  id: string,
  flags: readonly string[] = [],
): Promise<ServerProcess> {
  return startServerProcess(workspace, 120_000, undefined, [
    ...['--db', db, '--instance_id', id, '--workers', '0', '--registry_poll_ms', '1000', ...flags],
  ]);
}

/** `PUT /admin/model/{name}` with the threshold config (its `version` field: `version`) and `onnx`. */
export async function put(base: string, name: string, onnx: Buffer, version = 1): Promise<Response> {
  const form = new FormData();
  form.append('config', new Blob([JSON.stringify(thresholdConfig(version))]), 'config_aiaa.json');
  form.append('data', new Blob([onnx]), 'model.onnx');
  return fetch(`${base}/admin/model/${name}`, { method: 'PUT', body: form });
}

/** `/v1/segmentation` of the test CT (or of a session): the mask when 200, else the status and body. */
export async function segment(
  base: string,
  model: string,
  sessionId?: string,
): Promise<{ status: number; mask?: number[]; body?: string }> {
  const query = `model=${model}${sessionId ? `&session_id=${sessionId}` : ''}`;
  const reply = await sendPyMultipart(
    'POST',
    `${base}/v1/segmentation?${query}`,
    { params: '{}' },
    sessionId ? [] : [datapoint()],
  );
  return reply.status === 200
    ? { status: 200, mask: maskOf(reply) }
    : { status: reply.status, body: reply.body.toString() };
}

/** Milliseconds from now until `check` holds (polled every 20 ms), or Infinity after 10 s. */
export async function millisUntil(check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 10_000) {
    if (await check()) {
      return Math.round(performance.now() - started);
    }
    await sleep(20);
  }
  return Infinity;
}

/** Which version's mask this is: the threshold model's block, EMPTY_ONNX's nothing, or something else. */
export const masks = (mask: number[] | undefined): 'expected' | 'empty' | 'other' =>
  JSON.stringify(mask) === JSON.stringify(EXPECTED_MASK)
    ? 'expected'
    : JSON.stringify(mask) === JSON.stringify(EMPTY_MASK)
      ? 'empty'
      : 'other';
