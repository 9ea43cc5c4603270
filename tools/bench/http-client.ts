import { openAsBlob } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/** One segmentation request as 3D Slicer sends it, timed on the client, with the server's stage timings. */
export interface SegmentationTiming {
  totalMs: number;
  status: number;
  /** `Server-Timing` entries (stage → ms) of the reply. */
  stagesMs: Record<string, number>;
  replyBytes: number;
}

/** POST /v1/segmentation?model=… with multipart `params` + `datapoint`, the reply read to the end. */
export async function segment(baseUrl: string, model: string, file: string): Promise<SegmentationTiming> {
  const form = new FormData();
  form.append('params', '{}');
  form.append('datapoint', await openAsBlob(file), path.basename(file));
  const start = performance.now();
  const res = await fetch(`${baseUrl}/v1/segmentation?model=${encodeURIComponent(model)}`, {
    method: 'POST',
    body: form,
  });
  const body = await res.arrayBuffer();
  const totalMs = performance.now() - start;
  if (!res.ok) {
    throw new Error(`segmentation answered ${res.status}: ${Buffer.from(body).toString('utf8', 0, 500)}`);
  }
  return {
    totalMs,
    status: res.status,
    stagesMs: parseServerTiming(res.headers.get('server-timing')),
    replyBytes: body.byteLength,
  };
}

/** `pre_transforms;dur=12.3, inference;dur=40` → { pre_transforms: 12.3, inference: 40 }. */
export function parseServerTiming(header: string | null): Record<string, number> {
  const stages: Record<string, number> = {};
  for (const entry of (header ?? '').split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.map((p) => p.trim()).find((p) => p.startsWith('dur='));
    if (name && dur) {
      stages[name] = Number(dur.slice(4));
    }
  }
  return stages;
}
