import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readNifti, scalingAffine, writeNifti } from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { EXIT, exitCodeOf, infer, main, parseInferArgs } from './infer';

const REPO = path.resolve(__dirname, '../..');
const SHIPPED_WORKSPACE = path.join(REPO, 'workspace');
const FIXTURES = path.join(REPO, 'libs/core/test/fixtures');
const SPLEEN_CT = path.join(FIXTURES, 'spleen_8_ct.nii.gz');
const SPLEEN_FACTS = require(path.join(FIXTURES, 'expected.json'))['spleen_8_ct.nii.gz'] as {
  affine: number[][];
  raw_sha256: string;
};

/** The config of workspace/lib/README.md: window CT to [0, 1], CustomInference, argmax, write uint8. */
const CUSTOM_CONFIG = {
  version: '1',
  type: 'segmentation',
  labels: ['below_water'],
  description: "AIAA's CustomInference example",
  pre_transforms: [
    {
      name: 'ScaleIntensityRange',
      args: { fields: 'image', a_min: -1000, a_max: 1000, b_min: 0, b_max: 1, clip: true },
    },
  ],
  inference: { name: 'custom_inference.CustomInference', args: {} },
  post_transforms: [{ name: 'ArgmaxAcrossChannels', args: { fields: 'model' } }],
  writer: { name: 'aiaa.transforms.Writer', args: { image: 'model', json: 'result', dtype: 'uint8' } },
};

let dir: string;

function modelDir(name: string, config: unknown, withNetwork = true): string {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'config_aiaa.json'), JSON.stringify(config));
  if (withNetwork) {
    // Two-channel logits of x > 0.5: after the inversion, foreground where 1 - scaled > 0.5.
    writeFileSync(path.join(folder, 'model.onnx'), buildThresholdSegmenter({ threshold: 0.5 }));
  }
  return folder;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), cwd: dir });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'aiaa-infer-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('infer with the shipped CustomInference plugin', () => {
  it('segments a small volume as hand-computed', async () => {
    // HU values; windowed to [0, 1] by (hu + 1000) / 2000, inverted to 1 - s, foreground where 1 - s > 0.5,
    // i.e. where hu < 0 (hu = 0 gives exactly 0.5: a tie, which argmax gives to background).
    const hu = SMALL_HU.slice();
    const affine = scalingAffine([0.5, 0.75, 2]);
    const input = path.join(dir, 'small.nii.gz');
    await writeNifti(input, makeImage(hu, [2, 2, 2], 'DHW', affine));
    const model = modelDir('custom_inference', CUSTOM_CONFIG);

    const { code, out, err } = await run([
      '--model',
      model,
      '--image',
      'small.nii.gz',
      '--output',
      'out/../mask.nii',
      '--workspace',
      SHIPPED_WORKSPACE,
    ]);
    expect({ code, err }).toEqual({ code: EXIT.ok, err: expect.stringContaining('wrote') });
    expect(JSON.parse(out)).toEqual({});
    expect(err).toContain('[2/4] inference custom_inference.CustomInference');
    expect(err).toMatch(/^total\s+\d+\.\d ms$/m);

    const mask = await readNifti(path.join(dir, 'mask.nii'));
    expect(mask.dtype).toBe('uint8');
    expect(mask.shape).toEqual([2, 2, 2]);
    expect(Array.from(mask.voxels)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(mask.affine)).toEqual(Array.from(affine));
  });

  it('segments the spleen CT volume: same grid as the input, 1 exactly where HU < 0', async () => {
    const model = modelDir('custom_inference', CUSTOM_CONFIG);
    const output = path.join(dir, 'spleen_below_water.nii.gz');
    const { code, err } = await run([
      '--model',
      path.join(model, 'config_aiaa.json'),
      '--image',
      SPLEEN_CT,
      '--output',
      output,
      '--workspace',
      SHIPPED_WORKSPACE,
    ]);
    expect({ code, err }).toEqual({ code: EXIT.ok, err: expect.stringContaining('wrote') });

    const ct = await readNifti(SPLEEN_CT);
    // The input is the volume nibabel described (its raw voxels hash), so the expectation below rests on it.
    const raw = Buffer.from(ct.voxels.buffer, ct.voxels.byteOffset, ct.voxels.byteLength);
    expect(createHash('sha256').update(raw).digest('hex')).toBe(SPLEEN_FACTS.raw_sha256);
    const mask = await readNifti(output);
    expect(mask.shape).toEqual(ct.shape);
    const affine = Array.from(mask.affine);
    SPLEEN_FACTS.affine.flat().forEach((v, i) => expect(affine[i]).toBeCloseTo(v, 4));
    let mismatches = 0;
    let foreground = 0;
    for (let i = 0; i < ct.voxels.length; i++) {
      const expected = (ct.voxels[i] as number) < 0 ? 1 : 0;
      foreground += expected;
      mismatches += mask.voxels[i] === expected ? 0 : 1;
    }
    expect(mismatches).toBe(0);
    expect(foreground).toBeGreaterThan(0);
    expect(foreground).toBeLessThan(ct.voxels.length);
  }, 120_000);
});

// HU values of the small test volume and the masks computed by hand from them.
const SMALL_HU = new Int16Array([-1000, -500, -1, 0, 1, 500, 1000, 3000]);
/** Built-in inference: windowed s = (hu + 1000) / 2000 clipped, foreground where s > 0.5, i.e. hu > 0. */
const SMALL_ABOVE_WATER = [0, 0, 0, 0, 1, 1, 1, 1];

describe('infer with the built-in inference (onnxruntime)', () => {
  const config = {
    ...CUSTOM_CONFIG,
    labels: ['above_water'],
    inference: { scanning_window: false },
  };

  it('runs a config that names no inference class on the model file', async () => {
    const input = path.join(dir, 'small.nii.gz');
    await writeNifti(input, makeImage(SMALL_HU.slice(), [2, 2, 2]));
    const model = modelDir('native', config);
    const { code, err } = await run(['--model', model, '--image', input, '--output', 'mask.nii.gz']);
    expect({ code, err }).toEqual({ code: EXIT.ok, err: expect.stringContaining('[2/4] inference NativeInference') });
    const mask = await readNifti(path.join(dir, 'mask.nii.gz'));
    expect(Array.from(mask.voxels)).toEqual(SMALL_ABOVE_WATER);
  });

  it("runs the highest version of a model folder in the server's layout (models/<name>/1/, 2/)", async () => {
    const input = path.join(dir, 'small.nii.gz');
    await writeNifti(input, makeImage(SMALL_HU.slice(), [2, 2, 2]));
    // Version 1 names a transform that does not exist: running it would exit 3.
    modelDir(path.join('versioned', '1'), { ...config, pre_transforms: [{ name: 'NoSuchTransform', args: {} }] });
    modelDir(path.join('versioned', '2'), config);
    const { code, err } = await run(['--model', path.join(dir, 'versioned'), '--image', input, '--output', 'm.nii']);
    expect({ code, err }).toEqual({ code: EXIT.ok, err: expect.stringContaining('loaded versioned') });
    const mask = await readNifti(path.join(dir, 'm.nii'));
    expect(Array.from(mask.voxels)).toEqual(SMALL_ABOVE_WATER);
  });

  it('runs it with a 4×4×4 sliding window over a 6×8×8 volume, with the hand-computed mask', async () => {
    const hu = new Int16Array(6 * 8 * 8);
    for (let i = 0; i < hu.length; i++) {
      hu[i] = ((i * 37) % 2001) - 1000;
    }
    const input = path.join(dir, 'ramp.nii');
    await writeNifti(input, makeImage(hu, [6, 8, 8]));
    const windowed = modelDir('windowed', {
      ...config,
      inference: { scanning_window: true, roi: [4, 4, 4], overlap: 0.25, batch_size: 2 },
    });
    const { code, err } = await run(['--model', windowed, '--image', input, '--output', 'mask.nii']);
    expect({ code, err }).toEqual({ code: EXIT.ok, err: expect.stringContaining('wrote') });
    const mask = await readNifti(path.join(dir, 'mask.nii'));
    expect(Array.from(mask.voxels)).toEqual(Array.from(hu, (v) => (v > 0 ? 1 : 0)));
  });
});

describe('infer --workers', () => {
  it('runs the shipped plugin in a worker thread with the same result', async () => {
    const input = path.join(dir, 'small.nii.gz');
    await writeNifti(input, makeImage(SMALL_HU.slice(), [2, 2, 2]));
    const model = modelDir('custom_inference', CUSTOM_CONFIG);
    const args = await parseInferArgs(
      [
        '--model',
        model,
        '--image',
        input,
        '--output',
        'mask.nii.gz',
        '--workspace',
        SHIPPED_WORKSPACE,
        '--workers',
        '1',
      ],
      dir,
    );
    const lines: string[] = [];
    const result = await infer(args, {
      log: (line) => lines.push(line),
      workerExecArgv: ['-r', '@swc-node/register'],
      workerEnv: { ...process.env, SWC_NODE_PROJECT: path.join(REPO, 'tsconfig.base.json') },
    });
    expect(lines[0]).toMatch(/^loaded custom_inference in 1 worker\(s\)/);
    expect(result.stages.map((s) => s.name)).toEqual([
      'ScaleIntensityRange',
      'custom_inference.CustomInference',
      'ArgmaxAcrossChannels',
      'aiaa.transforms.Writer',
    ]);
    const mask = await readNifti(path.join(dir, 'mask.nii.gz'));
    expect(Array.from(mask.voxels)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
  }, 120_000);

  it('runs the built-in onnxruntime inference in a worker thread', async () => {
    const input = path.join(dir, 'small.nii.gz');
    await writeNifti(input, makeImage(SMALL_HU.slice(), [2, 2, 2]));
    const model = modelDir('native', { ...CUSTOM_CONFIG, inference: {} });
    const args = await parseInferArgs(
      ['--model', model, '--image', input, '--output', 'mask.nii.gz', '--workers', '1'],
      dir,
    );
    const result = await infer(args, {
      workerExecArgv: ['-r', '@swc-node/register'],
      workerEnv: { ...process.env, SWC_NODE_PROJECT: path.join(REPO, 'tsconfig.base.json') },
    });
    expect(result.stages[1]?.name).toBe('NativeInference');
    const mask = await readNifti(path.join(dir, 'mask.nii.gz'));
    expect(Array.from(mask.voxels)).toEqual(SMALL_ABOVE_WATER);
  }, 120_000);

  it('exits 3 naming the plugin when a worker cannot build the pipeline', async () => {
    const model = modelDir('m', { ...CUSTOM_CONFIG, inference: { name: 'nowhere.Nothing' } });
    const args = await parseInferArgs(
      ['--model', model, '--image', 'a.nii', '--output', 'b.nii', '--workspace', SHIPPED_WORKSPACE, '--workers', '1'],
      dir,
    );
    const error = await infer(args, {
      workerExecArgv: ['-r', '@swc-node/register'],
      workerEnv: { ...process.env, SWC_NODE_PROJECT: path.join(REPO, 'tsconfig.base.json') },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('nowhere.Nothing');
    expect(exitCodeOf(error)).toBe(EXIT.model);
  }, 120_000);
});

describe('infer interrupted', () => {
  it('stops at the next stage and exits 130 when its signal fires (Ctrl-C)', async () => {
    const input = path.join(dir, 'small.nii.gz');
    await writeNifti(input, makeImage(SMALL_HU.slice(), [2, 2, 2]));
    const model = modelDir('custom_inference', CUSTOM_CONFIG);
    const controller = new AbortController();
    const err: string[] = [];
    const code = await main(
      ['--model', model, '--image', input, '--output', 'mask.nii', '--workspace', SHIPPED_WORKSPACE],
      {
        out: () => undefined,
        err: (line) => {
          err.push(line);
          if (line.startsWith('[2/4]')) {
            controller.abort();
          }
        },
        cwd: dir,
        signal: controller.signal,
      },
    );
    expect(code).toBe(EXIT.cancelled);
    expect(err.at(-1)).toMatch(/^infer: .*cancelled/);
    expect(err.join('\n')).not.toContain('[3/4]');
  });
});

describe('infer with bad arguments or files', () => {
  it('exits 2 for a bad --workers count', async () => {
    const { code, err } = await run(['--model', dir, '--image', 'a.nii', '--output', 'b.nii', '--workers', 'two']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('--workers must be an integer from 0 to 64, got two');
  });

  it('exits 2 naming a missing option', async () => {
    const { code, err } = await run(['--image', 'x.nii.gz', '--output', 'y.nii.gz']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('--model is required');
  });

  it('exits 2 when --params is not a JSON object', async () => {
    const model = modelDir('m', CUSTOM_CONFIG);
    for (const params of ['{points', '[1, 2]']) {
      const { code, err } = await run(['--model', model, '--image', 'a.nii', '--output', 'b.nii', '--params', params]);
      expect(code).toBe(EXIT.usage);
      expect(err).toContain('--params');
    }
  });

  it('exits 2 for an output that is not NIfTI', async () => {
    const { code, err } = await run(['--model', dir, '--image', 'a.nii', '--output', 'b.png']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('--output must end with .nii or .nii.gz');
  });

  it('exits 3 naming the config path of an unknown transform', async () => {
    const model = modelDir('m', { ...CUSTOM_CONFIG, pre_transforms: [{ name: 'NoSuchTransform' }] });
    const { code, err } = await run(['--model', model, '--image', 'a.nii', '--output', 'b.nii']);
    expect(code).toBe(EXIT.model);
    expect(err).toContain("pre_transforms[0]: unknown transform 'NoSuchTransform'");
  });

  it('exits 3 naming the plugin when the workspace has no such class', async () => {
    const model = modelDir('m', CUSTOM_CONFIG);
    const empty = path.join(dir, 'empty-workspace');
    mkdirSync(path.join(empty, 'lib'), { recursive: true });
    const { code, err } = await run(['--model', model, '--image', 'a.nii', '--output', 'b.nii', '--workspace', empty]);
    expect(code).toBe(EXIT.model);
    expect(err).toContain('custom_inference.CustomInference');
  });

  it('exits 4 naming the file when the image is not NIfTI', async () => {
    const model = modelDir('m', CUSTOM_CONFIG);
    writeFileSync(path.join(dir, 'not.nii'), 'this is not a NIfTI file, only text long enough to hold a header');
    const { code, err } = await run([
      '--model',
      model,
      '--image',
      'not.nii',
      '--output',
      'b.nii',
      '--workspace',
      SHIPPED_WORKSPACE,
    ]);
    expect(code).toBe(EXIT.input);
    expect(err).toContain('not.nii');
  });

  it('exits 1 naming the model and stage when the network file is missing at run time', async () => {
    const model = modelDir('nonet', CUSTOM_CONFIG, false);
    const input = path.join(dir, 'small.nii');
    await writeNifti(input, makeImage(new Int16Array(8), [2, 2, 2]));
    const { code, err } = await run([
      '--model',
      model,
      '--image',
      input,
      '--output',
      'b.nii',
      '--workspace',
      SHIPPED_WORKSPACE,
    ]);
    expect(code).not.toBe(EXIT.ok);
    expect(err).toContain("model 'nonet'");
    expect(err).toContain('inference custom_inference.CustomInference');
  });
});
