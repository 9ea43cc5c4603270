import { CATALOGUE, type MedicalImage, TransformContext, TransformRegistry, readNifti } from '@aiaa/core';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type InferenceEngine,
  ModelConfig,
  ModelPipeline,
  NativeInference,
  createEngine,
  isBuiltinInference,
} from '@aiaa/inference';
import { CUSTOM_INFERENCE_EXAMPLE, DEMO_MODELS, DEMO_VERSION } from './demo-models';

// The committed demo models in workspace/models, run through the whole pipeline (catalogue transforms, onnxruntime)
// on the real spleen CT (a copy of ../shared/data's, in libs/core/test/fixtures), checked against nibabel's header facts and the expert label.
const ROOT = join(__dirname, '..', '..', '..');
const MODELS = join(ROOT, 'workspace', 'models');
const DATA = join(ROOT, 'libs', 'core', 'test', 'fixtures');
const CT = join(DATA, 'spleen_8_ct.nii.gz');
const LABEL = join(DATA, 'spleen_8_label.nii.gz');
const REGISTRY = new TransformRegistry(CATALOGUE);

/** Transforms of a demo config that the catalogue does not list (yet). */
function missingTransforms(name: string): string[] {
  const config = DEMO_MODELS.find((m) => m.name === name)?.config ?? {};
  const specs = [
    ...((config['pre_transforms'] ?? []) as { name: string }[]),
    ...((config['post_transforms'] ?? []) as { name: string }[]),
    ...(config['writer'] ? [config['writer'] as { name: string }] : []),
  ];
  return specs.map((t) => t.name).filter((n) => REGISTRY.find(n) === undefined);
}
const DEEPGROW_MISSING = missingTransforms('deepgrow_ct_window');

describe('demo models in workspace/models', () => {
  it.each(DEMO_MODELS.map((m) => [m.name, m] as const))('%s is what the builder writes', async (name, model) => {
    const bytes = await readFile(join(MODELS, name, String(DEMO_VERSION), 'model.onnx'));
    expect(Buffer.compare(bytes, Buffer.from(model.build()))).toBe(0);
    const config: unknown = JSON.parse(
      await readFile(join(MODELS, name, String(DEMO_VERSION), 'config_aiaa.json'), 'utf8'),
    );
    expect(config).toEqual(model.config);
  });

  it('the network of examples/custom_inference is what the builder writes', async () => {
    const bytes = await readFile(join(ROOT, CUSTOM_INFERENCE_EXAMPLE.path));
    expect(Buffer.compare(bytes, Buffer.from(CUSTOM_INFERENCE_EXAMPLE.build()))).toBe(0);
  });
});

interface Overlap {
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
}

function overlap(mask: MedicalImage, label: MedicalImage): Overlap {
  const result = { truePositive: 0, falsePositive: 0, falseNegative: 0 };
  for (let i = 0; i < mask.voxels.length; i++) {
    const a = (mask.voxels[i] as number) > 0;
    const b = (label.voxels[i] as number) > 0;
    if (a && b) {
      result.truePositive++;
    } else if (a) {
      result.falsePositive++;
    } else if (b) {
      result.falseNegative++;
    }
  }
  return result;
}

/** The six extreme points [x, y, z] of a mask (first voxel found at each min/max of x, y, z). */
function extremePoints(label: MedicalImage): number[][] {
  const [d, h, w] = label.spatialShape as [number, number, number];
  const best: (number[] | undefined)[] = new Array(6).fill(undefined);
  for (let z = 0, i = 0; z < d; z++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++, i++) {
        if (!label.voxels[i]) {
          continue;
        }
        const p = [x, y, z];
        for (let axis = 0; axis < 3; axis++) {
          const lo = best[2 * axis];
          const hi = best[2 * axis + 1];
          if (!lo || (p[axis] as number) < (lo[axis] as number)) {
            best[2 * axis] = p;
          }
          if (!hi || (p[axis] as number) > (hi[axis] as number)) {
            best[2 * axis + 1] = p;
          }
        }
      }
    }
  }
  return best.filter((p): p is number[] => p !== undefined);
}

describe('demo models on the spleen CT', () => {
  let engine: InferenceEngine;
  const registry = REGISTRY;
  let ct: MedicalImage;
  let label: MedicalImage;
  let outDir: string;
  let expectedAffine: number[][];

  beforeAll(async () => {
    engine = await createEngine('AIAA');
    ct = await readNifti(CT);
    label = await readNifti(LABEL);
    outDir = await mkdtemp(join(tmpdir(), 'demo-models-'));
    const expected = JSON.parse(await readFile(join(DATA, 'expected.json'), 'utf8')) as Record<
      string,
      { affine: number[][] }
    >;
    expectedAffine = expected['spleen_8_ct.nii.gz']?.affine ?? [];
  });
  afterAll(async () => {
    await engine.close();
    await rm(outDir, { recursive: true, force: true });
  });

  async function run(name: string, params: Record<string, unknown>): Promise<MedicalImage> {
    const dir = join(MODELS, name, String(DEMO_VERSION));
    const json: unknown = JSON.parse(await readFile(join(dir, 'config_aiaa.json'), 'utf8'));
    const config = ModelConfig.parse(json, { engine: 'AIAA', modelPath: join(dir, 'model.onnx'), name });
    const pipeline = await ModelPipeline.load({
      config,
      registry,
      resolveInference: (inference) => {
        expect(isBuiltinInference(inference)).toBe(true);
        return NativeInference.create({ engine, config });
      },
    });
    const ctx = new TransformContext({ params, outputDir: await mkdtemp(join(outDir, `${name}-`)) });
    ctx.setProperty('image_path', CT);
    try {
      const result = await pipeline.run(ctx);
      const file = result.ctx.writerOutput?.file;
      expect(file).toBeDefined();
      return await readNifti(file as string);
    } finally {
      await pipeline.close();
    }
  }

  function expectOnInputGrid(mask: MedicalImage): void {
    expect(mask.shape).toEqual([32, 512, 512]);
    expect(mask.dtype).toBe('uint8');
    const affine = Array.from({ length: 4 }, (_, r) => Array.from(mask.affine.subarray(4 * r, 4 * r + 4)));
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        expect(affine[r]?.[c]).toBeCloseTo(expectedAffine[r]?.[c] as number, 4);
      }
    }
    expect(new Set(mask.voxels)).toEqual(new Set([0, 1]));
  }

  it('spleen_ct_threshold marks enhancing soft tissue: most of the spleen, no air', async () => {
    const mask = await run('spleen_ct_threshold', {});
    expectOnInputGrid(mask);
    const o = overlap(mask, label);
    // Measured: 137 916 of the 163 456 expert spleen voxels (84 %).
    expect(o.truePositive / (o.truePositive + o.falseNegative)).toBeGreaterThan(0.8);
    let airInMask = 0;
    for (let i = 0; i < ct.voxels.length; i++) {
      if ((ct.voxels[i] as number) < -500 && mask.voxels[i]) {
        airInMask++;
      }
    }
    expect(airInMask).toBe(0);
  }, 180_000);

  it('body_bone_ct labels air, body and bone by their Hounsfield ranges and keeps the whole patient', async () => {
    const mask = await run('body_bone_ct', {});
    expect(mask.shape).toEqual([32, 512, 512]);
    expect(new Set(mask.voxels)).toEqual(new Set([0, 1, 2]));
    const count = [0, 0, 0];
    const sumHu = [0, 0, 0];
    let spleen = 0;
    let spleenInPatient = 0;
    for (let i = 0; i < mask.voxels.length; i++) {
      const l = mask.voxels[i] as 0 | 1 | 2;
      count[l] = (count[l] as number) + 1;
      sumHu[l] = (sumHu[l] as number) + (ct.voxels[i] as number);
      if (label.voxels[i]) {
        spleen++;
        spleenInPatient += l > 0 ? 1 : 0;
      }
    }
    const meanHu = sumHu.map((s, l) => s / (count[l] as number));
    // Measured means: outside -936 HU (air), body 35 HU (soft tissue), bone 418 HU.
    expect(meanHu[0]).toBeLessThan(-800);
    expect(meanHu[1]).toBeGreaterThan(-200);
    expect(meanHu[1]).toBeLessThan(200);
    expect(meanHu[2]).toBeGreaterThan(250);
    expect(spleenInPatient / spleen).toBeGreaterThan(0.99);
  }, 180_000);

  it('annotation_ct_dextr3d follows the extreme points: inside their padded box, overlapping the spleen', async () => {
    const points = extremePoints(label);
    expect(points).toHaveLength(6);
    const mask = await run('annotation_ct_dextr3d', { points });
    expectOnInputGrid(mask);
    const o = overlap(mask, label);
    // Measured: recall 0.86, Dice 0.58 (the 130–200 HU rule also takes enhancing tissue next to the spleen).
    expect(o.truePositive / (o.truePositive + o.falseNegative)).toBeGreaterThan(0.8);
    expect((2 * o.truePositive) / (2 * o.truePositive + o.falsePositive + o.falseNegative)).toBeGreaterThan(0.5);
    // The crop is the points' box grown by 20 mm: 25 voxels in x and y (0.785 mm), 2 in z (7.5 mm); allow one more.
    const lo = [0, 1, 2].map((a) => Math.min(...points.map((p) => p[a] as number)));
    const hi = [0, 1, 2].map((a) => Math.max(...points.map((p) => p[a] as number)));
    const margin = [26, 26, 3];
    let outside = 0;
    for (let z = 0, i = 0; z < 32; z++) {
      for (let y = 0; y < 512; y++) {
        for (let x = 0; x < 512; x++, i++) {
          if (!mask.voxels[i]) {
            continue;
          }
          const p = [x, y, z];
          if (
            p.some(
              (v, a) => v < (lo[a] as number) - (margin[a] as number) || v > (hi[a] as number) + (margin[a] as number),
            )
          ) {
            outside++;
          }
        }
      }
    }
    expect(outside).toBe(0);
  }, 180_000);

  // Clicks [x, y, z] picked on the spleen CT: the foreground ones at the spleen's centroid on slices 14 and 18, the
  // background ones 40 voxels away in tissue of the same 130–200 HU window but outside the expert label.
  const FOREGROUND = [
    [106, 229, 14],
    [124, 219, 18],
  ];
  const BACKGROUND = [
    [146, 229, 14],
    [140, 256, 18],
  ];
  const at = (p: number[]): number => ((p[2] as number) * 512 + (p[1] as number)) * 512 + (p[0] as number);

  (DEEPGROW_MISSING.length === 0 ? it : it.skip)(
    DEEPGROW_MISSING.length === 0
      ? 'deepgrow_ct_window keeps its foreground clicks, drops its background clicks, stays in its box'
      : `deepgrow_ct_window: skipped until the catalogue lists ${DEEPGROW_MISSING.join(', ')}`,
    async () => {
      for (const p of FOREGROUND) {
        expect(label.voxels[at(p)]).toBe(1);
      }
      for (const p of BACKGROUND) {
        expect(label.voxels[at(p)]).toBe(0);
        expect(ct.voxels[at(p)]).toBeGreaterThan(130);
        expect(ct.voxels[at(p)]).toBeLessThan(200);
      }
      const mask = await run('deepgrow_ct_window', { foreground: FOREGROUND, background: BACKGROUND });
      expectOnInputGrid(mask);
      for (const p of FOREGROUND) {
        expect(mask.voxels[at(p)]).toBe(1);
      }
      for (const p of BACKGROUND) {
        expect(mask.voxels[at(p)]).toBe(0);
      }
      // The crop is a 32×192×192 box centred on the clicks' box: nothing outside it.
      const clicks = [...FOREGROUND, ...BACKGROUND];
      const centre = [0, 1, 2].map((a) => {
        const values = clicks.map((p) => p[a] as number);
        return Math.floor((Math.min(...values) + Math.max(...values) + 1) / 2);
      });
      const half = [96, 96, 16];
      let outside = 0;
      let inSpleen = 0;
      let total = 0;
      for (let z = 0, i = 0; z < 32; z++) {
        for (let y = 0; y < 512; y++) {
          for (let x = 0; x < 512; x++, i++) {
            if (!mask.voxels[i]) {
              continue;
            }
            total++;
            inSpleen += label.voxels[i] ? 1 : 0;
            const p = [x, y, z];
            if (p.some((v, a) => Math.abs(v - (centre[a] as number)) > (half[a] as number))) {
              outside++;
            }
          }
        }
      }
      expect(outside).toBe(0);
      // Measured: 60 642 of the 96 248 mask voxels are expert spleen voxels (63 %).
      expect(inSpleen / total).toBeGreaterThan(0.5);
    },
    180_000,
  );
});
