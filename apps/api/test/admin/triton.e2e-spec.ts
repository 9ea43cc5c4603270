import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { TransformContext } from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { KServePeer, buildThresholdSegmenter } from '@aiaa/inference/testing';
import { ModelRuntimeService } from '../../src/runtime/model-runtime.service';
import { configPart, putModel } from '../support/admin-client';
import { Scrape, prometheusParserMissing, scrape } from '../support/prometheus';
import { useTestApp } from '../support/test-app';

// Real servers, SQLite and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

const MODEL = Buffer.from(buildThresholdSegmenter({ threshold: 0.5 }));
const CONFIG = {
  version: 1,
  type: 'segmentation',
  labels: ['spleen'],
  pre_transforms: [
    { name: 'ScaleIntensityRanged', args: { keys: 'image', a_min: -100, a_max: 300, b_min: 0, b_max: 1, clip: true } },
  ],
  inference: { input: 'image', output: 'model' },
};

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

// Triton is a real gRPC server on 127.0.0.1 (the KServe v2 test peer running onnxruntime) sharing the model
// repository folder with the app, as AIAA and Triton share triton_models in AIAA's docker-compose.
describe('--engine TRITON: uploads deploy to Triton unless ?native=true (real gRPC peer, real app)', () => {
  let peer: KServePeer;
  const server = useTestApp(
    () => ({ engine: 'TRITON', tritonIp: '127.0.0.1', tritonPort: peer.port }),
    async (workspace) => {
      peer = await KServePeer.start({ repository: path.join(workspace, 'triton_models') });
    },
  );

  const logits = async (name: string): Promise<number[]> => {
    const ctx = new TransformContext({ images: [['image', makeImage(Float32Array.of(-100, 300), [1, 1, 2])]] });
    const result = await server.app.get(ModelRuntimeService).get(name).run(ctx);
    return Array.from(result.ctx.getImage('model').voxels);
  };

  afterAll(async () => {
    await peer.close();
  });

  it('deploys an upload into <workspace>/triton_models and runs it on Triton', async () => {
    const res = await putModel(server.base, 'spleen', {
      config: configPart(CONFIG),
      data: { data: MODEL, filename: 'model.onnx' },
    });
    const body = (await res.json()) as { engine: string; message?: string };
    expect({ status: res.status, body }).toMatchObject({ status: 200, body: { engine: 'TRITON' } });
    expect(await exists(path.join(server.workspace, 'triton_models', 'spleen', 'config.pbtxt'))).toBe(true);
    expect(peer.loadedModels).toContain('spleen');
    expect(await logits('spleen')).toEqual([0.5, -0.5, -0.5, 0.5]);
  });

  it('?native=true runs in-process instead: nothing deployed to Triton', async () => {
    const res = await putModel(
      server.base,
      'spleen_native',
      { config: configPart(CONFIG), data: { data: MODEL, filename: 'model.onnx' } },
      { query: '?native=true' },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { engine: string }).engine).toBe('native');
    expect(await exists(path.join(server.workspace, 'triton_models', 'spleen_native'))).toBe(false);
    expect(await logits('spleen_native')).toEqual([0.5, -0.5, -0.5, 0.5]);
  });

  it("reports Triton's state in /health, /health/ready and on its models in /v1/models, down and back up", async () => {
    const health = async (route: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await fetch(`${server.base}${route}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const listing = async (): Promise<Record<string, unknown>[]> =>
      (await fetch(`${server.base}/v1/models`).then((r) => r.json())) as Record<string, unknown>[];
    const address = `127.0.0.1:${peer.port}`;

    expect(await health('/health')).toEqual({
      status: 200,
      body: expect.objectContaining({
        status: 'ok',
        engine: 'TRITON',
        triton: { address, live: true, ready: true },
      }) as unknown,
    });
    expect((await health('/health/ready')).status).toBe(200);
    const up = await listing();
    expect(up.find((m) => m['name'] === 'spleen')?.['triton']).toEqual({ state: 'READY' });
    // A model kept in-process carries no Triton state.
    expect(up.find((m) => m['name'] === 'spleen_native')).not.toHaveProperty('triton');

    peer.stop();
    try {
      const started = Date.now();
      const down = await health('/health');
      expect(down.status).toBe(200);
      expect(down.body).toMatchObject({ status: 'degraded', triton: { address, live: false, ready: false } });
      expect((await health('/health/ready')).status).toBe(503);
      const spleen = (await listing()).find((m) => m['name'] === 'spleen');
      expect(spleen?.['triton']).toMatchObject({ state: 'UNREACHABLE' });
      // Three calls to a Triton that is down, each bounded by the 2 s status deadline.
      expect(Date.now() - started).toBeLessThan(3 * 2_000 + 1_000);
    } finally {
      await peer.restart();
    }
    // Back without a restart of the app.
    let ready = 0;
    for (let attempt = 0; attempt < 50 && ready !== 200; attempt++) {
      ready = (await health('/health/ready')).status;
      if (ready !== 200) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(ready).toBe(200);
    expect((await listing()).find((m) => m['name'] === 'spleen')?.['triton']).toEqual({ state: 'READY' });
  });

  it('redeploys the version made active: version 1 runs on Triton again after version 2', async () => {
    const other = Buffer.from(buildThresholdSegmenter({ threshold: 0.8 }));
    const res = await putModel(server.base, 'spleen', {
      config: configPart(CONFIG),
      data: { data: other, filename: 'model.onnx' },
    });
    expect(await res.json()).toMatchObject({ activeVersion: 2, engine: 'TRITON' });
    // Channel 0 holds 0.8 - x and channel 1 x - 0.8, at the windowed values 0 and 1.
    expect((await logits('spleen')).map((v) => Math.round(v * 1000) / 1000)).toEqual([0.8, -0.2, -0.8, 0.2]);
    const back = await fetch(`${server.base}/admin/model/spleen/active`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ version: 1 }),
    });
    expect(back.status).toBe(200);
    expect(await logits('spleen')).toEqual([0.5, -0.5, -0.5, 0.5]);
  });

  const itWithParser = prometheusParserMissing() === undefined ? it : it.skip;

  itWithParser('reports Triton up and the seconds of asking it in /metrics', async () => {
    const metrics = await scrape(`${server.base}/metrics`);
    expect(metrics.value('aiaa_triton_up')).toBe(1);
    expect(metrics.value('aiaa_triton_status_seconds')).toBeGreaterThan(0);
    expect(metrics.value('aiaa_triton_status_seconds')).toBeLessThan(2);
  });

  it('DELETE unloads the model from Triton', async () => {
    expect((await fetch(`${server.base}/admin/model/spleen`, { method: 'DELETE' })).status).toBe(200);
    expect(server.app.get(ModelRuntimeService).has('spleen')).toBe(false);
    expect(await exists(path.join(server.workspace, 'models', 'spleen'))).toBe(false);
    expect(peer.loadedModels).not.toContain('spleen');
    expect(await exists(path.join(server.workspace, 'triton_models', 'spleen'))).toBe(false);
  });
});

describe('--engine TRITON with Triton unreachable', () => {
  // A port nothing listens on: the engine cannot reach Triton.
  const server = useTestApp({ engine: 'TRITON', tritonIp: '127.0.0.1', tritonPort: 1 });

  it('answers 503 naming TRITON and leaves no row or folder', async () => {
    const res = await putModel(server.base, 'spleen', {
      config: configPart(CONFIG),
      data: { data: MODEL, filename: 'model.onnx' },
    });
    const body = (await res.json()) as { message: string };
    expect({ status: res.status, names: body.message.includes('TRITON') || body.message.includes('Triton') }).toEqual({
      status: 503,
      names: true,
    });
    expect(await fs.readdir(path.join(server.workspace, 'models'))).toEqual([]);
    expect((await fetch(`${server.base}/admin/model`).then((r) => r.json())) as unknown[]).toEqual([]);
  }, 60_000);

  (prometheusParserMissing() === undefined ? it : it.skip)('reports Triton down (0) in /metrics', async () => {
    const res = await fetch(`${server.base}/metrics`);
    expect(res.status).toBe(200);
    expect(new Scrape(await res.text()).value('aiaa_triton_up')).toBe(0);
  });
});
