import {
  CancelledError,
  ConfigError,
  EngineUnavailableError,
  InvalidInputError,
  TimeoutError,
  TooLargeError,
} from '@aiaa/core';
import { status } from '@grpc/grpc-js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor, TensorDType } from '../../engine';
import { buildModel } from '../../testing/model-builders/model-builder';
import { buildIdentityModel, buildThresholdSegmenter } from '../../testing/model-builders/ready-models';
import { KServeClient } from './kserve-client';
import { grpcStatusOf, KServeCallError } from './kserve-errors';
import { tensorToRawBytes } from './kserve-datatypes';
import type { TritonModelConfig } from './kserve-proto';
import { KServePeer } from './testing/kserve-peer';

// A real KServe v2 gRPC server on 127.0.0.1 (random port) running real onnxruntime sessions.
let peer: KServePeer;
let client: KServeClient;
let repository: string;

const FAST = { retryDelayMs: 20, maxRetryDelayMs: 100 };

beforeAll(async () => {
  repository = await mkdtemp(join(tmpdir(), 'kserve-repo-'));
  peer = await KServePeer.start({ repository });
  client = new KServeClient({ address: peer.address, ...FAST });
  await client.repositoryModelLoad('identity', {
    config: bareConfig('identity'),
    files: { '1/model.onnx': buildIdentityModel({ dtype: 'float32' }) },
  });
});

afterAll(async () => {
  client.close();
  await peer.close();
  await rm(repository, { recursive: true, force: true });
});

beforeEach(() => {
  Object.assign(peer.faults, { delayMs: 0, unavailable: 0, garbage: undefined, notReady: false });
});

/** A config with no inputs/outputs: the peer completes it from the model, as Triton's ONNX auto-complete does. */
function bareConfig(name: string, maxBatchSize = 0): TritonModelConfig {
  return { name, platform: 'onnxruntime_onnx', max_batch_size: maxBatchSize, input: [], output: [] };
}

/** `output = input + 1` over [N, L] (Not for BOOL): the server must read the bytes as numbers to get it right. */
function plusOneModel(dtype: TensorDType): Uint8Array {
  const io = {
    inputs: [{ name: 'input', dtype, shape: ['N', 'L'] }],
    outputs: [{ name: 'output', dtype, shape: ['N', 'L'] }],
  };
  if (dtype === 'bool') {
    return buildModel({ ...io, nodes: [{ opType: 'Not', inputs: ['input'], outputs: ['output'] }] });
  }
  const one: Record<string, Tensor['data']> = {
    float32: Float32Array.of(1),
    float16: Uint16Array.of(0x3c00),
    int16: Int16Array.of(1),
    int32: Int32Array.of(1),
    int64: BigInt64Array.of(1n),
    uint8: Uint8Array.of(1),
    int8: Int8Array.of(1),
    uint16: Uint16Array.of(1),
    uint32: Uint32Array.of(1),
    float64: Float64Array.of(1),
  };
  const data = one[dtype];
  if (data === undefined) {
    throw new Error(`no constant one for ${dtype}`);
  }
  return buildModel({
    ...io,
    initializers: [{ name: 'one', dtype, shape: [], data }],
    nodes: [{ opType: 'Add', inputs: ['input', 'one'], outputs: ['output'] }],
  });
}

// Hand-computed: each input plus one, wrapping where the type wraps; FP16 as IEEE half bits.
const ROUND_TRIPS: { datatype: string; input: Tensor; expected: Tensor['data'] }[] = [
  {
    datatype: 'FP32',
    input: { dtype: 'float32', shape: [1, 3], data: Float32Array.of(-1.5, 0, 1e30) },
    expected: Float32Array.of(-0.5, 1, 1e30),
  },
  {
    datatype: 'INT16',
    input: { dtype: 'int16', shape: [1, 3], data: Int16Array.of(-32768, 257, 32767) },
    expected: Int16Array.of(-32767, 258, -32768),
  },
  {
    datatype: 'INT32',
    input: { dtype: 'int32', shape: [1, 3], data: Int32Array.of(-2147483648, 65535, 7) },
    expected: Int32Array.of(-2147483647, 65536, 8),
  },
  {
    datatype: 'INT64',
    input: { dtype: 'int64', shape: [1, 3], data: BigInt64Array.of(-(2n ** 62n), 2n ** 40n, -1n) },
    expected: BigInt64Array.of(-(2n ** 62n) + 1n, 2n ** 40n + 1n, 0n),
  },
  {
    datatype: 'UINT8',
    input: { dtype: 'uint8', shape: [1, 3], data: Uint8Array.of(0, 127, 255) },
    expected: Uint8Array.of(1, 128, 0),
  },
  {
    datatype: 'INT8',
    input: { dtype: 'int8', shape: [1, 3], data: Int8Array.of(-128, -1, 127) },
    expected: Int8Array.of(-127, 0, -128),
  },
  {
    datatype: 'UINT16',
    input: { dtype: 'uint16', shape: [1, 3], data: Uint16Array.of(0, 255, 65535) },
    expected: Uint16Array.of(1, 256, 0),
  },
  {
    datatype: 'UINT32',
    input: { dtype: 'uint32', shape: [1, 3], data: Uint32Array.of(0, 16777215, 4294967295) },
    expected: Uint32Array.of(1, 16777216, 0),
  },
  {
    datatype: 'FP64',
    input: { dtype: 'float64', shape: [1, 3], data: Float64Array.of(-0.25, 2 ** 52, 1e300) },
    expected: Float64Array.of(0.75, 2 ** 52 + 1, 1e300),
  },
  {
    datatype: 'BOOL',
    input: { dtype: 'bool', shape: [1, 3], data: Uint8Array.of(1, 0, 1) },
    expected: Uint8Array.of(0, 1, 0),
  },
  {
    // 1.0 → 2.0, -2.0 → -1.0, 0.5 → 1.5
    datatype: 'FP16',
    input: { dtype: 'float16', shape: [1, 3], data: Uint16Array.of(0x3c00, 0xc000, 0x3800) },
    expected: Uint16Array.of(0x4000, 0xbc00, 0x3e00),
  },
];

describe('KServeClient round trips over raw contents', () => {
  it('sends raw contents little-endian (INT16 258 is bytes 02 01)', () => {
    const bytes = tensorToRawBytes("input 'x'", { dtype: 'int16', shape: [1], data: Int16Array.of(258) });
    expect([...bytes]).toEqual([2, 1]);
  });

  it.each(ROUND_TRIPS)(
    '$datatype: the server computes input + 1 on the values sent',
    async ({ datatype, input, expected }) => {
      const model = `plus_one_${datatype.toLowerCase()}`;
      await client.repositoryModelLoad(model, {
        config: bareConfig(model),
        files: { '1/model.onnx': plusOneModel(input.dtype) },
      });
      const result = await client.modelInfer({ model, inputs: { input } });
      const output = result.outputs['output'];
      expect(result.model).toBe(model);
      expect(result.version).toBe('1');
      expect(output?.dtype).toBe(input.dtype);
      expect(output?.shape).toEqual([1, 3]);
      expect(output?.data).toEqual(expected);
    },
  );

  it('carries a message over gRPC’s 4 MiB default both ways (6 MiB FP32)', async () => {
    await client.repositoryModelLoad('identity_big', {
      config: bareConfig('identity_big'),
      files: { '1/model.onnx': buildIdentityModel({ dtype: 'float32' }) },
    });
    const n = 1.5 * 1024 * 1024;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      data[i] = i % 1000;
    }
    const result = await client.modelInfer({
      model: 'identity_big',
      inputs: { INPUT__0: { dtype: 'float32', shape: [1, n], data } },
    });
    const out = result.outputs['OUTPUT__0']?.data as Float32Array;
    expect(out.length).toBe(n);
    expect(out[n - 1]).toBe((n - 1) % 1000);
    expect(out[123_456]).toBe(456);
  }, 30_000);

  it('returns only the outputs asked for', async () => {
    await client.repositoryModelLoad('segmenter_pushed', {
      config: bareConfig('segmenter_pushed', 4),
      files: { '1/model.onnx': buildThresholdSegmenter({ threshold: 1 }) },
    });
    const result = await client.modelInfer({
      model: 'segmenter_pushed',
      inputs: { INPUT__0: { dtype: 'float32', shape: [1, 1, 1, 1, 2], data: Float32Array.of(0, 3) } },
      outputs: ['OUTPUT__0'],
    });
    // channel 0 = 1 - x, channel 1 = x - 1
    expect(result.outputs['OUTPUT__0']).toEqual({
      dtype: 'float32',
      shape: [1, 2, 1, 1, 2],
      data: Float32Array.of(1, -2, -1, 2),
    });
  });
});

describe('KServeClient health, metadata and repository', () => {
  beforeAll(async () => {
    const dir = join(repository, 'segmenter');
    await mkdir(join(dir, '1'), { recursive: true });
    await writeFile(join(dir, '1', 'model.onnx'), buildThresholdSegmenter({ threshold: 1 }));
    await writeFile(
      join(dir, 'config.pbtxt'),
      [
        'name: "segmenter"',
        'platform: "onnxruntime_onnx"',
        'max_batch_size: 4',
        'input [ { name: "INPUT__0" data_type: TYPE_FP32 dims: [ 1, -1, -1, -1 ] } ]',
        'output [ { name: "OUTPUT__0" data_type: TYPE_FP32 dims: [ 2, -1, -1, -1 ] } ]',
      ].join('\n'),
    );
  });

  it('reports the server live, ready and its extensions', async () => {
    await expect(client.serverLive()).resolves.toBe(true);
    await expect(client.serverReady()).resolves.toBe(true);
    const metadata = await client.serverMetadata();
    expect(metadata.name).toBe('triton');
    expect(metadata.extensions).toContain('model_repository');
  });

  it('loads a model from the repository folder and reports its metadata and config', async () => {
    await expect(client.modelReady('segmenter')).resolves.toBe(false);
    await client.repositoryModelLoad('segmenter');
    await expect(client.modelReady('segmenter')).resolves.toBe(true);
    await expect(client.modelReady('segmenter', '2')).resolves.toBe(false);
    const metadata = await client.modelMetadata('segmenter');
    expect(metadata).toMatchObject({
      name: 'segmenter',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'INPUT__0', datatype: 'FP32', shape: [-1, 1, -1, -1, -1] }],
      outputs: [{ name: 'OUTPUT__0', datatype: 'FP32', shape: [-1, 2, -1, -1, -1] }],
    });
    const config = await client.modelConfig('segmenter');
    expect(config.max_batch_size).toBe(4);
    expect(config.input[0]).toMatchObject({ name: 'INPUT__0', data_type: 'TYPE_FP32', dims: [1, -1, -1, -1] });
  });

  it('lists the repository with states and unloads', async () => {
    await client.repositoryModelLoad('segmenter');
    const index = await client.repositoryIndex();
    expect(index.find((m) => m.name === 'segmenter')).toMatchObject({ version: '1', state: 'READY' });
    await client.repositoryModelUnload('segmenter');
    await expect(client.modelReady('segmenter')).resolves.toBe(false);
    const after = await client.repositoryIndex();
    expect(after.find((m) => m.name === 'segmenter')).toMatchObject({ state: 'UNAVAILABLE' });
    expect((await client.repositoryIndex({ readyOnly: true })).map((m) => m.name)).not.toContain('segmenter');
  });
});

describe('KServeClient failures', () => {
  const feeds = { INPUT__0: { dtype: 'float32', shape: [1, 2], data: Float32Array.of(1, 2) } as Tensor };

  it('retries UNAVAILABLE a bounded number of times, then gives EngineUnavailableError', async () => {
    const bounded = new KServeClient({ address: peer.address, retries: 2, ...FAST });
    try {
      peer.faults.unavailable = 10;
      const before = peer.calls['ServerLive'] ?? 0;
      const error = await bounded.serverLive().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message).toContain(`Triton at ${peer.address}`);
      expect(grpcStatusOf(error)).toBe(status.UNAVAILABLE);
      expect((peer.calls['ServerLive'] ?? 0) - before).toBe(3);
    } finally {
      bounded.close();
    }
  });

  it('succeeds when UNAVAILABLE clears within the retries', async () => {
    peer.faults.unavailable = 2;
    const before = peer.calls['ModelInfer'] ?? 0;
    const result = await client.modelInfer({ model: 'identity', inputs: feeds });
    expect(result.outputs['OUTPUT__0']?.data).toEqual(Float32Array.of(1, 2));
    expect((peer.calls['ModelInfer'] ?? 0) - before).toBe(3);
  });

  it('gives TimeoutError past the deadline, naming the deadline', async () => {
    peer.faults.delayMs = 300;
    const error = await client
      .modelInfer({ model: 'identity', inputs: feeds }, { deadlineMs: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain('50 ms');
    expect(grpcStatusOf(error)).toBe(status.DEADLINE_EXCEEDED);
  });

  it('gives CancelledError when the caller aborts', async () => {
    peer.faults.delayMs = 300;
    const controller = new AbortController();
    const pending = client.modelInfer({ model: 'identity', inputs: feeds }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it('gives not-found for an unknown model', async () => {
    const error = await client.modelMetadata('no_such_model').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KServeCallError);
    expect(error).toMatchObject({ kind: 'not-found', grpcCode: status.NOT_FOUND });
    expect((error as Error).message).toContain("'no_such_model'");
  });

  it('is unavailable while the server is down and recovers on the same client when it returns', async () => {
    // The channel reconnects with backoff (capped at maxRetryDelayMs); the retries outlast that cap.
    const recovering = new KServeClient({ address: peer.address, retries: 4, ...FAST });
    try {
      await expect(recovering.serverLive()).resolves.toBe(true);
      peer.stop();
      await expect(recovering.modelInfer({ model: 'identity', inputs: feeds })).rejects.toBeInstanceOf(
        EngineUnavailableError,
      );
      await peer.restart();
      const result = await recovering.modelInfer({ model: 'identity', inputs: feeds });
      expect(result.outputs['OUTPUT__0']?.data).toEqual(Float32Array.of(1, 2));
    } finally {
      await peer.restart();
      recovering.close();
    }
  });

  it.each([
    ['shape', /expected \d+ for FP32\[1,2,2\]/],
    ['datatype', /datatype 'BYTES' is not supported/],
    ['bytes', /got 7 bytes, expected 8/],
    ['missing-output', /'OUTPUT__0' missing from the answer/],
  ] as const)('rejects a %s-spoiled answer as internal, naming the output', async (garbage, pattern) => {
    peer.faults.garbage = garbage;
    const error = await client
      .modelInfer({ model: 'identity', inputs: feeds, outputs: ['OUTPUT__0'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KServeCallError);
    expect(error).toMatchObject({ kind: 'internal', rpc: 'ModelInfer' });
    expect((error as Error).message).toContain('OUTPUT__0');
    expect((error as Error).message).toMatch(pattern);
  });
});

describe('KServeClient bad input', () => {
  it('refuses an input whose bytes do not fill its shape, naming the input', async () => {
    const bad = { dtype: 'float32', shape: [1, 3], data: Float32Array.of(1, 2) } as Tensor;
    const error = await client.modelInfer({ model: 'identity', inputs: { INPUT__0: bad } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe("input 'INPUT__0' got 8 bytes, expected 12 for FP32[1,3]");
  });

  it('passes the server’s invalid-argument answer on for a wrong datatype, naming the input', async () => {
    const wrong = { dtype: 'int32', shape: [1, 2], data: Int32Array.of(1, 2) } as Tensor;
    const error = await client.modelInfer({ model: 'identity', inputs: { INPUT__0: wrong } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid-input', grpcCode: status.INVALID_ARGUMENT });
    expect((error as Error).message).toContain("input 'INPUT__0'");
  });

  it('refuses a request over the message limit with TooLargeError, naming the option', async () => {
    const small = new KServeClient({ address: peer.address, maxMessageBytes: 4096 });
    try {
      const big = { dtype: 'float32', shape: [1, 4096], data: new Float32Array(4096) } as Tensor;
      const error = await small.modelInfer({ model: 'identity', inputs: { INPUT__0: big } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TooLargeError);
      expect((error as Error).message).toContain('maxMessageBytes');
    } finally {
      small.close();
    }
  });

  it('rejects a pushed config whose input the model lacks, naming the input', async () => {
    const config: TritonModelConfig = {
      ...bareConfig('mismatch'),
      input: [{ name: 'image', data_type: 'TYPE_FP32', dims: [-1, -1] }],
    };
    const error = await client
      .repositoryModelLoad('mismatch', { config, files: { '1/model.onnx': buildIdentityModel() } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid-input', grpcCode: status.INVALID_ARGUMENT });
    expect((error as Error).message).toContain("input 'image' is not in the model");
  });

  it('refuses files without a config and paths outside the model folder, naming the file', async () => {
    await expect(client.repositoryModelLoad('x', { files: { '1/model.onnx': new Uint8Array(1) } })).rejects.toThrow(
      ConfigError,
    );
    const error = await client
      .repositoryModelLoad('x', { config: bareConfig('x'), files: { '../model.onnx': new Uint8Array(1) } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("files['../model.onnx']");
  });

  it('refuses out-of-range options, naming the option', () => {
    expect(() => new KServeClient({ address: peer.address, maxMessageBytes: 2 ** 31 })).toThrow(
      /KServeClient\.maxMessageBytes/,
    );
    expect(() => new KServeClient({ address: peer.address, retries: -1 })).toThrow(ConfigError);
  });
});
