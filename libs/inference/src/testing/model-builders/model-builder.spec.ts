import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildModel } from './model-builder';
import {
  buildIdentityModel,
  buildInvertModel,
  buildSmoothingConv,
  buildThresholdSegmenter,
  buildWindowSegmenter,
} from './ready-models';

// Real onnxruntime sessions over the encoded bytes, loaded from files as the server loads them.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onnx-builder-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function session(name: string, bytes: Uint8Array): Promise<ort.InferenceSession> {
  const path = join(dir, `${name}.onnx`);
  await writeFile(path, bytes);
  return ort.InferenceSession.create(path);
}

describe('buildThresholdSegmenter', () => {
  it('gives [threshold - x, x - threshold] per voxel, with the configured names', async () => {
    const s = await session(
      'threshold',
      buildThresholdSegmenter({ threshold: 0.5, inputName: 'img', outputName: 'seg' }),
    );
    expect(s.inputNames).toEqual(['img']);
    expect(s.outputNames).toEqual(['seg']);
    const x = Float32Array.of(0, 1, 0.25, 0.75);
    const out = (await s.run({ img: new ort.Tensor('float32', x, [1, 1, 1, 2, 2]) }))['seg'];
    expect(out?.dims).toEqual([1, 2, 1, 2, 2]);
    expect(Array.from(out?.data as Float32Array)).toEqual([0.5, -0.5, 0.25, -0.25, -0.5, 0.5, -0.25, 0.25]);
    await s.release();
  });

  it('writes the same bytes for the same options', () => {
    expect(Buffer.from(buildThresholdSegmenter({ threshold: 0.3 }))).toEqual(
      Buffer.from(buildThresholdSegmenter({ threshold: 0.3 })),
    );
  });
});

describe('buildSmoothingConv', () => {
  it('averages the 27 neighbours with zeros outside', async () => {
    const s = await session('conv', buildSmoothingConv());
    const out = await s.run({ INPUT__0: new ort.Tensor('float32', new Float32Array(27).fill(27), [1, 1, 3, 3, 3]) });
    // Neighbour counts inside a 3×3×3 cube: corner 8, edge 12, face 18, centre 27.
    const data = out['OUTPUT__0']?.data as Float32Array;
    expect(data[0]).toBeCloseTo(8, 5);
    expect(data[1]).toBeCloseTo(12, 5);
    expect(data[4]).toBeCloseTo(18, 5);
    expect(data[13]).toBeCloseTo(27, 5);
    await s.release();
  });
});

describe('buildInvertModel and buildIdentityModel', () => {
  it('negates int64 and inverts bool', async () => {
    const i64 = await session('neg-i64', buildInvertModel({ dtype: 'int64' }));
    const r = await i64.run({ INPUT__0: new ort.Tensor('int64', BigInt64Array.of(3n, -(2n ** 40n)), [1, 2]) });
    expect(Array.from(r['OUTPUT__0']?.data as BigInt64Array)).toEqual([-3n, 2n ** 40n]);
    const bool = await session('not', buildInvertModel({ dtype: 'bool' }));
    const b = await bool.run({ INPUT__0: new ort.Tensor('bool', Uint8Array.of(1, 0, 0), [1, 3]) });
    expect(Array.from(b['OUTPUT__0']?.data as Uint8Array)).toEqual([0, 1, 1]);
  });

  it('passes uint16 through unchanged', async () => {
    const s = await session('id-u16', buildIdentityModel({ dtype: 'uint16' }));
    const r = await s.run({ INPUT__0: new ort.Tensor('uint16', Uint16Array.of(0, 65535), [1, 2]) });
    expect(Array.from(r['OUTPUT__0']?.data as Uint16Array)).toEqual([0, 65535]);
  });
});

describe('buildWindowSegmenter', () => {
  it('gives foreground min(s - low, high - s) and background its negation', async () => {
    const s = await session('window', buildWindowSegmenter({ low: 0.2, high: 0.6, smoothing: [1, 1, 1] }));
    const x = Float32Array.of(0, 0.4, 1);
    const out = (await s.run({ INPUT__0: new ort.Tensor('float32', x, [1, 1, 1, 1, 3]) }))['OUTPUT__0'];
    const data = Array.from(out?.data as Float32Array);
    [0.2, -0.2, 0.4, -0.2, 0.2, -0.4].forEach((v, i) => expect(data[i]).toBeCloseTo(v, 6));
  });

  it('smooths in-plane before the window', async () => {
    // A 1x3x3 box over a 1x1x3 row [0, 0.9, 0]: the middle mean is 0.1, the ends 0.1 too (zeros outside).
    const s = await session('window-smooth', buildWindowSegmenter({ low: 0, high: 1, smoothing: [1, 3, 3] }));
    const out = await s.run({ INPUT__0: new ort.Tensor('float32', Float32Array.of(0, 0.9, 0), [1, 1, 1, 1, 3]) });
    const data = Array.from(out['OUTPUT__0']?.data as Float32Array);
    [0.1, 0.1, 0.1].forEach((v, i) => expect(data[3 + i]).toBeCloseTo(v, 6));
  });

  it('rejects an even smoothing size and an empty window', () => {
    expect(() => buildWindowSegmenter({ low: 0, high: 1, smoothing: [1, 2, 3] })).toThrow(
      /odd positive integers, got \[1, 2, 3\]/,
    );
    expect(() => buildWindowSegmenter({ low: 1, high: 1 })).toThrow(/low \(1\) must be below high \(1\)/);
  });
});

describe('buildModel with bad specs', () => {
  it('rejects an initializer whose data does not fill its shape, naming it', () => {
    expect(() =>
      buildModel({
        inputs: [{ name: 'x', dtype: 'float32', shape: [1] }],
        outputs: [{ name: 'y', dtype: 'float32', shape: [1] }],
        initializers: [{ name: 'w', dtype: 'float32', shape: [2, 2], data: new Float32Array(3) }],
        nodes: [{ opType: 'Add', inputs: ['x', 'w'], outputs: ['y'] }],
      }),
    ).toThrow(/initializer 'w' has 3 values but shape \[2, 2\] holds 4/);
  });

  it('rejects a name declared twice', () => {
    expect(() =>
      buildModel({
        inputs: [{ name: 'x', dtype: 'float32', shape: [1] }],
        outputs: [{ name: 'y', dtype: 'float32', shape: [1] }],
        initializers: [{ name: 'x', dtype: 'float32', shape: [1], data: new Float32Array(1) }],
        nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
      }),
    ).toThrow(/'x' is declared twice/);
  });

  it('refuses Neg for unsigned types', () => {
    expect(() => buildInvertModel({ dtype: 'uint8' })).toThrow(RangeError);
  });
});
