import { status } from '@grpc/grpc-js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIdentityModel, buildInvertModel } from '../../../testing/model-builders/ready-models';
import { KServeClient } from '../kserve-client';
import { KServePeer } from './kserve-peer';

// The peer itself, as Triton behaves: version folders, failed reloads, batch limits, restarts on the same port.
let repository: string;
let peer: KServePeer;
let client: KServeClient;

beforeAll(async () => {
  repository = await mkdtemp(join(tmpdir(), 'kserve-peer-'));
  // Versions 1 and 3 are real; "03" and "latest" are folders Triton ignores (leading zero, not numeric).
  const model = join(repository, 'versions');
  for (const [folder, bytes] of [
    ['1', buildIdentityModel()],
    ['3', buildInvertModel()],
    ['03', new Uint8Array([1, 2, 3])],
    ['latest', new Uint8Array([1, 2, 3])],
  ] as const) {
    await mkdir(join(model, folder), { recursive: true });
    await writeFile(join(model, folder, 'model.onnx'), bytes);
  }
  await writeFile(join(model, 'config.pbtxt'), 'max_batch_size: 2\n');
  peer = await KServePeer.start({ repository });
  client = new KServeClient({ address: peer.address, retryDelayMs: 20, maxRetryDelayMs: 100, retries: 4 });
});

afterAll(async () => {
  client.close();
  await peer.close();
  await rm(repository, { recursive: true, force: true });
});

const feeds = { INPUT__0: { dtype: 'float32' as const, shape: [1, 2], data: Float32Array.of(1, -2) } };

describe('KServePeer', () => {
  it('serves the highest numeric version folder, ignoring 03 and latest', async () => {
    await peer.loadModel('versions');
    const metadata = await client.modelMetadata('versions');
    expect(metadata.versions).toEqual(['3']);
    expect(metadata.inputs).toEqual([{ name: 'INPUT__0', datatype: 'FP32', shape: [-1, -1] }]);
    // Version 3 negates.
    const result = await client.modelInfer({ model: 'versions', inputs: feeds });
    expect(result.outputs['OUTPUT__0']?.data).toEqual(Float32Array.of(-1, 2));
  });

  it('keeps the model serving when a reload fails, and lists the failure', async () => {
    await peer.loadModel('versions');
    const error = await client
      .repositoryModelLoad('versions', {
        config: { name: 'versions', platform: 'onnxruntime_onnx', max_batch_size: 0, input: [], output: [] },
        files: { '1/model.onnx': new Uint8Array([0, 1, 2]) },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid-input', grpcCode: status.INVALID_ARGUMENT });
    expect((error as Error).message).toContain("failed to load 'versions'");
    await expect(client.modelReady('versions')).resolves.toBe(true);
    const result = await client.modelInfer({ model: 'versions', inputs: feeds });
    expect(result.outputs['OUTPUT__0']?.data).toEqual(Float32Array.of(-1, 2));
  });

  it('answers INVALID_ARGUMENT for a batch over max_batch_size, naming the input', async () => {
    await peer.loadModel('versions');
    const big = { INPUT__0: { dtype: 'float32' as const, shape: [3, 1], data: Float32Array.of(1, 2, 3) } };
    const error = await client.modelInfer({ model: 'versions', inputs: big }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid-input', grpcCode: status.INVALID_ARGUMENT });
    expect((error as Error).message).toContain("input 'INPUT__0': batch size 3 over max_batch_size 2");
  });

  it('refuses to load a name that has no model folder', async () => {
    await expect(peer.loadModel('absent')).rejects.toThrow(/no model file <version>\/model\.onnx/);
    expect(peer.loadedModels).not.toContain('absent');
  });

  it('comes back on the same port after a stop, with its models', async () => {
    await peer.loadModel('versions');
    const port = peer.port;
    peer.stop();
    expect(peer.running).toBe(false);
    await peer.restart();
    expect(peer.port).toBe(port);
    await expect(client.modelReady('versions')).resolves.toBe(true);
  });

  it('counts calls per RPC, before faults', async () => {
    const before = peer.calls['ServerReady'] ?? 0;
    peer.faults.unavailable = 1;
    await expect(client.serverReady()).resolves.toBe(true);
    expect((peer.calls['ServerReady'] ?? 0) - before).toBe(2);
  });
});
