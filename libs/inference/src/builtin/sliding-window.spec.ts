import { CancelledError, InvalidInputError } from '@aiaa/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelHandle, Tensor } from '../engine';
import { buildSmoothingConv, buildThresholdSegmenter } from '../testing/model-builders/ready-models';
import { OnnxEngine } from '../engines/onnx/onnx-engine';
import { importanceMap, slidingWindowInference, windowGrid } from './sliding-window';

// Real onnxruntime sessions: a pointwise model (threshold logits) and a shift-invariant 3×3×3 box filter.
let dir: string;
const engine = new OnnxEngine({ intraOpNumThreads: 1 });
let pointwise: ModelHandle;
let conv: ModelHandle;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sliding-window-'));
  await writeFile(join(dir, 'threshold.onnx'), buildThresholdSegmenter({ threshold: 0.5 }));
  await writeFile(join(dir, 'conv.onnx'), buildSmoothingConv());
  pointwise = await engine.load({ name: 'threshold', modelPath: join(dir, 'threshold.onnx') });
  conv = await engine.load({ name: 'conv', modelPath: join(dir, 'conv.onnx') });
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

/** Deterministic pseudo-random voxels in [0, 1) (LCG), so failures reproduce. */
function volume(size: number, seed = 7): Float32Array {
  const out = new Float32Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out[i] = state / 2147483648;
  }
  return out;
}

function runner(handle: ModelHandle): (batch: Tensor<'float32'>) => Promise<Tensor> {
  return async (batch) => (await handle.run({ INPUT__0: batch }))['OUTPUT__0'] as Tensor;
}

async function wholeVolume(handle: ModelHandle, input: Float32Array, shape: number[]): Promise<Float32Array> {
  const out = await handle.run({ INPUT__0: { dtype: 'float32', shape: [1, ...shape], data: input } });
  return out['OUTPUT__0']?.data as Float32Array;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  }
  return max;
}

describe('windowGrid', () => {
  it('places windows as MONAI dense_patch_slices does', () => {
    // size 10, roi 6, overlap 0.5: step floor(6 × 0.5) = 3; starts 0, 3, 6 → 6 moved back to 10 − 6 = 4.
    const grid = windowGrid([10, 10, 10], [6, 6, 6], 0.5);
    expect(grid.starts).toHaveLength(27);
    expect(grid.starts.slice(0, 3)).toEqual([
      [0, 0, 0],
      [0, 0, 3],
      [0, 0, 4],
    ]);
    expect(grid.starts[26]).toEqual([4, 4, 4]);
    // size 300, roi 160, overlap 0.25: step 120; starts 0, 120, 240 → 140. An axis equal to its roi has one window.
    const spleen = windowGrid([160, 300, 90], [160, 160, 90], 0.25);
    expect(new Set(spleen.starts.map((s) => s[1]))).toEqual(new Set([0, 120, 140]));
    expect(spleen.starts).toHaveLength(3);
  });

  it('pads an axis shorter than the roi, half before', () => {
    const grid = windowGrid([4, 6, 3], [6, 6, 6], 0.25);
    expect(grid.paddedShape).toEqual([6, 6, 6]);
    expect(grid.padBefore).toEqual([1, 0, 1]);
    expect(grid.starts).toEqual([[0, 0, 0]]);
  });

  it('takes the image size for a roi of 0 on an axis', () => {
    expect(windowGrid([5, 8, 8], [0, 4, 8], 0).starts).toEqual([
      [0, 0, 0],
      [0, 4, 0],
    ]);
  });
});

describe('importanceMap', () => {
  it('is a separable Gaussian with sigma = roi / 8', () => {
    // Axis of 3: sigma 0.375, exp(-1 / (2 × 0.140625)) = 0.0285655 at ±1; axes of 1 contribute exp(0) = 1.
    expect(Array.from(importanceMap([1, 1, 3], 'gaussian'))).toEqual([
      Math.fround(Math.exp(-1 / 0.28125)),
      1,
      Math.fround(Math.exp(-1 / 0.28125)),
    ]);
    expect(Array.from(importanceMap([1, 2, 2], 'constant'))).toEqual([1, 1, 1, 1]);
  });
});

describe('slidingWindowInference', () => {
  it('equals the whole-volume run everywhere for a pointwise model, both blend modes', async () => {
    const shape = [1, 7, 9, 11];
    const input = volume(7 * 9 * 11);
    const whole = await wholeVolume(pointwise, input, shape);
    for (const mode of ['constant', 'gaussian'] as const) {
      const out = await slidingWindowInference({
        input,
        shape,
        roi: [4, 5, 6],
        overlap: 0.25,
        batchSize: 3,
        mode,
        run: runner(pointwise),
      });
      expect(out.shape).toEqual([2, 7, 9, 11]);
      expect(maxAbsDiff(out.data, whole)).toBeLessThan(1e-6);
    }
  });

  it('blends a 3×3×3 conv like MONAI: exact where no window edge cuts the neighbourhood', async () => {
    const shape = [1, 10, 10, 10];
    const input = volume(1000, 11);
    const out = await slidingWindowInference({
      input,
      shape,
      roi: [6, 6, 6],
      overlap: 0.5,
      batchSize: 4,
      mode: 'constant',
      run: runner(conv),
    });
    // Reference written independently: windows start at 0, 3, 4 on each axis (see windowGrid above); each window
    // sees the box mean with zeros outside the window; overlapping windows are averaged.
    const starts = [0, 3, 4];
    const sum = new Float64Array(1000);
    const count = new Float64Array(1000);
    const at = (z: number, y: number, x: number): number => (z * 10 + y) * 10 + x;
    for (const z0 of starts) {
      for (const y0 of starts) {
        for (const x0 of starts) {
          for (let z = z0; z < z0 + 6; z++) {
            for (let y = y0; y < y0 + 6; y++) {
              for (let x = x0; x < x0 + 6; x++) {
                let s = 0;
                for (let dz = -1; dz <= 1; dz++) {
                  for (let dy = -1; dy <= 1; dy++) {
                    for (let dx = -1; dx <= 1; dx++) {
                      const [nz, ny, nx] = [z + dz, y + dy, x + dx];
                      const inside = nz >= z0 && nz < z0 + 6 && ny >= y0 && ny < y0 + 6 && nx >= x0 && nx < x0 + 6;
                      s += inside ? (input[at(nz, ny, nx)] as number) : 0;
                    }
                  }
                }
                sum[at(z, y, x)] = (sum[at(z, y, x)] as number) + s / 27;
                count[at(z, y, x)] = (count[at(z, y, x)] as number) + 1;
              }
            }
          }
        }
      }
    }
    const reference = Float32Array.from(sum, (s, i) => s / (count[i] as number));
    expect(maxAbsDiff(out.data, reference)).toBeLessThan(1e-5);

    // Per axis, index i is exact when no covering window has an inner face at i: windows [0,6) [3,9) [4,10) leave
    // 0, 1, 2, 6, 7, 9. There (6³ = 216 voxels) the result equals the whole-volume conv.
    const whole = await wholeVolume(conv, input, shape);
    const exact = [0, 1, 2, 6, 7, 9];
    let compared = 0;
    for (const z of exact) {
      for (const y of exact) {
        for (const x of exact) {
          expect(out.data[at(z, y, x)]).toBeCloseTo(whole[at(z, y, x)] as number, 5);
          compared++;
        }
      }
    }
    expect(compared).toBe(216);
    // And elsewhere it does differ (the windows really were cut).
    expect(Math.abs((out.data[at(5, 5, 5)] as number) - (whole[at(5, 5, 5)] as number))).toBeGreaterThan(1e-4);
  });

  it('pads an image smaller than the roi with zeros, which for a zero-padded conv is the whole-volume result', async () => {
    const shape = [1, 4, 5, 3];
    const input = volume(60, 3);
    const out = await slidingWindowInference({
      input,
      shape,
      roi: [6, 6, 6],
      overlap: 0.25,
      batchSize: 1,
      mode: 'gaussian',
      run: runner(conv),
    });
    expect(out.shape).toEqual([1, 4, 5, 3]);
    expect(maxAbsDiff(out.data, await wholeVolume(conv, input, shape))).toBeLessThan(1e-6);
  });

  it('gives the same result for every batch size', async () => {
    const shape = [1, 8, 8, 8];
    const input = volume(512, 5);
    const results = [];
    for (const batchSize of [1, 2, 8, 100]) {
      results.push(
        await slidingWindowInference({
          input,
          shape,
          roi: [5, 5, 5],
          overlap: 0.4,
          batchSize,
          mode: 'gaussian',
          run: runner(conv),
        }),
      );
    }
    for (const r of results) {
      expect(Array.from(r.data)).toEqual(Array.from(results[0]?.data ?? []));
    }
  });

  it('stops between model calls when the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = async (batch: Tensor<'float32'>): Promise<Tensor> => {
      calls++;
      controller.abort();
      return runner(conv)(batch);
    };
    const pending = slidingWindowInference({
      input: volume(512),
      shape: [1, 8, 8, 8],
      roi: [4, 4, 4],
      overlap: 0,
      batchSize: 1,
      mode: 'constant',
      run,
      signal: controller.signal,
    });
    await expect(pending).rejects.toThrow(CancelledError);
    expect(calls).toBe(1);
  });
});

describe('slidingWindowInference with bad input', () => {
  const base = {
    input: new Float32Array(64),
    shape: [1, 4, 4, 4],
    roi: [2, 2, 2],
    overlap: 0,
    batchSize: 1,
    mode: 'constant' as const,
  };

  it('rejects a shape without a channel axis', async () => {
    await expect(slidingWindowInference({ ...base, shape: [4, 4, 4], run: runner(conv) })).rejects.toThrow(
      'sliding window: input must be [C, D, H, W], got [4, 4, 4]',
    );
  });

  it('rejects data that does not fill the shape', async () => {
    await expect(slidingWindowInference({ ...base, input: new Float32Array(63), run: runner(conv) })).rejects.toThrow(
      'sliding window: input has 63 values but shape [1, 4, 4, 4] holds 64',
    );
  });

  it('rejects an overlap of 1', async () => {
    await expect(slidingWindowInference({ ...base, overlap: 1, run: runner(conv) })).rejects.toThrow(
      /overlap must be in \[0, 1\), got 1/,
    );
  });

  it('rejects a model that changes the window size', async () => {
    const shrink = async (batch: Tensor<'float32'>): Promise<Tensor> => ({
      dtype: 'float32',
      shape: [batch.shape[0] as number, 1, 1, 1, 1],
      data: new Float32Array(batch.shape[0] as number),
    });
    const error = await slidingWindowInference({ ...base, run: shrink }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(/returned \[1, 1, 1, 1, 1\] for windows \[1, 1, 2, 2, 2\]/);
  });
});
