// The packages as another team gets them: built, packed, installed from the tarballs into projects under the system's
// temp dir, compiled there with tsc --strict against the packages' declarations and run with plain Node. The facts the
// masks are checked against were counted with nibabel and numpy on the fixture files, not with this code.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildThresholdSegmenter } from '@aiaa/inference/testing';
import { REPO_ROOT } from './build-package';
import {
  type PackedTarball,
  PACKAGE_LIBS,
  buildPackages,
  compileScratchProject,
  createScratchProject,
  packPackages,
  run,
} from './scratch-project';

const FIXTURES = path.join(REPO_ROOT, 'libs/core/test/fixtures');
const CT = path.join(FIXTURES, 'spleen_8_ct.nii.gz');
const LABEL = path.join(FIXTURES, 'spleen_8_label.nii.gz');
const CT_FACTS = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'))['spleen_8_ct.nii.gz'] as {
  affine: number[][];
  shape: number[];
};
/** nibabel: `(ct >= 151).sum()` of spleen_8_ct.nii.gz (int16 HU, no scaling). */
const VOXELS_FROM_151_HU = 1_250_432;
/** nibabel: `((ct >= 151) & (label > 0)).sum()`, with the expert spleen label spleen_8_label.nii.gz. */
const VOXELS_FROM_151_HU_IN_SPLEEN = 115_456;
const CONSUMERS = path.join(REPO_ROOT, 'tools/consumers');

/** What the consumers' programs print. */
interface MaskSummary {
  stages: string[];
  shape: number[];
  dtype: string;
  foreground: number;
  affine?: number[];
  insideLabel?: number;
  maskFile?: string;
}

let scratch: string;
let tarballDir: string;
let tarballs: Map<string, PackedTarball>;

function tarball(name: string): PackedTarball {
  const packed = tarballs.get(name);
  if (!packed) {
    throw new Error(`${name} was not packed`);
  }
  return packed;
}

function lastJsonLine(stdout: string): MaskSummary {
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as MaskSummary;
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'aiaa-consumer-'));
  tarballDir = path.join(scratch, 'tarballs');
  buildPackages();
  tarballs = packPackages(tarballDir);
  const sizes = [...tarballs.values()].map((t) => `${t.filename}: ${(t.size / 1024).toFixed(1)} KiB packed`);
  console.log(`packed into ${tarballDir}\n${sizes.join('\n')}`);
}, 300_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** The packages each package's compiled JavaScript requires: native and heavy ones only where they are used. */
const RUNTIME_DEPENDENCIES: Readonly<Record<(typeof PACKAGE_LIBS)[number], readonly string[]>> = {
  core: ['dicom-parser', 'zod'],
  inference: ['@aiaa/core', '@grpc/grpc-js', '@grpc/proto-loader', 'koffi', 'onnxruntime-node', 'protobufjs', 'zod'],
  'plugins-loader': ['@aiaa/core', '@aiaa/inference', '@swc/core'],
  client: ['openapi-fetch'],
};

describe('the built package.json', () => {
  const root = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    license: string;
    engines: Record<string, string>;
    dependencies: Record<string, string>;
  };

  it.each(PACKAGE_LIBS)('@aiaa/%s: entry points, files, engines, and its dependencies at the root ranges', (lib) => {
    const built = JSON.parse(readFileSync(path.join(REPO_ROOT, 'dist/libs', lib, 'package.json'), 'utf8'));
    const source = JSON.parse(readFileSync(path.join(REPO_ROOT, 'libs', lib, 'package.json'), 'utf8'));
    expect(built).toMatchObject({
      name: `@aiaa/${lib}`,
      version: source.version,
      license: root.license,
      main: './lib/index.js',
      types: './lib/index.d.ts',
      files: ['lib', 'README.md'],
      engines: root.engines,
    });
    expect(built.exports['.']).toEqual({
      types: './lib/index.d.ts',
      require: './lib/index.js',
      default: './lib/index.js',
    });
    expect(built.sideEffects).toBeDefined();
    expect(Object.keys(built.dependencies)).toEqual(RUNTIME_DEPENDENCIES[lib]);
    for (const [name, range] of Object.entries<string>(built.dependencies)) {
      expect(range).toBe(name.startsWith('@aiaa/') ? source.version : root.dependencies[name]);
      expect(range).not.toBe('*');
    }
  });
});

describe('the packed tarballs', () => {
  it.each(PACKAGE_LIBS)(
    '@aiaa/%s holds compiled JavaScript, declarations, source maps and its README, no sources',
    (lib) => {
      const files = tarball(`@aiaa/${lib}`).files.map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'lib/index.js', 'lib/index.d.ts']));
      expect(files).toContain('lib/index.js.map');
      expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
      expect(files.filter((f) => f.includes('.spec.'))).toEqual([]);
    },
  );
});

describe('a batch job (ES module) using @aiaa/core and @aiaa/inference', () => {
  const dir = (): string => path.join(scratch, 'batch-job');

  beforeAll(() => {
    createScratchProject({
      dir: dir(),
      sources: path.join(CONSUMERS, 'batch-job'),
      type: 'module',
      dependencies: [tarball('@aiaa/core'), tarball('@aiaa/inference')],
      tarballDir,
    });
  }, 300_000);

  it('resolves the packages from its own node_modules, through their exports', () => {
    const resolved = run(process.execPath, ['-p', "require.resolve('@aiaa/inference')"], dir()).stdout.trim();
    expect(resolved).toBe(path.join(dir(), 'node_modules/@aiaa/inference/lib/index.js'));
    expect(existsSync(path.join(dir(), 'node_modules/@aiaa/core/lib/index.d.ts'))).toBe(true);
  });

  it('type-checks with --strict against the declarations, runs a config_aiaa.json on a CT and writes the mask', () => {
    const compiled = compileScratchProject(dir());
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);

    // An AIAA model folder: the consumer's config and a two-channel threshold network at 150.5 HU after the
    // config's [-100, 300] HU → [0, 1] window (0.62625), so the mask is exactly the voxels from 151 HU up.
    const modelDir = path.join(dir(), 'models', 'dense_ct');
    mkdirSync(modelDir, { recursive: true });
    copyFileSync(path.join(dir(), 'config_aiaa.json'), path.join(modelDir, 'config_aiaa.json'));
    writeFileSync(path.join(modelDir, 'model.onnx'), buildThresholdSegmenter({ threshold: 0.62625 }));
    const output = path.join(dir(), 'output');
    const ran = run(process.execPath, ['out/main.js', modelDir, CT, LABEL, output], dir());
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);

    const summary = lastJsonLine(ran.stdout);
    expect(summary.stages).toEqual([
      'pre_transforms[0] LoadNifti',
      'pre_transforms[1] ConvertToChannelsFirst',
      'pre_transforms[2] ScaleIntensityRange',
      'inference NativeInference',
      'post_transforms[0] ArgmaxAcrossChannels',
      'post_transforms[1] RestoreOriginalShape',
      'writer WriteNifti',
    ]);
    expect(existsSync(path.join(output, summary.maskFile ?? ''))).toBe(true);
    // The CT's grid, restored: nibabel's shape is (i, j, k), the image's [D, H, W] is (k, j, i).
    expect(summary.shape).toEqual([...CT_FACTS.shape].reverse());
    expect(summary.dtype).toBe('uint8');
    expect(summary.affine).toEqual(CT_FACTS.affine.flat());
    expect(summary.foreground).toBe(VOXELS_FROM_151_HU);
    expect(summary.insideLabel).toBe(VOXELS_FROM_151_HU_IN_SPLEEN);
  }, 120_000);
});

describe("a plugin author's project (CommonJS): an Inference subclass loaded by @aiaa/plugins-loader", () => {
  const dir = (): string => path.join(scratch, 'plugin-author');

  beforeAll(() => {
    createScratchProject({
      dir: dir(),
      sources: path.join(CONSUMERS, 'plugin-author'),
      type: 'commonjs',
      dependencies: [tarball('@aiaa/core'), tarball('@aiaa/inference'), tarball('@aiaa/plugins-loader')],
      tarballDir,
    });
  }, 300_000);

  it('compiles the plugin against @aiaa/inference, and the loader runs it from <workspace>/lib', () => {
    const compiled = compileScratchProject(dir());
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);

    // The workspace holds the plugin as tsc compiled it: JavaScript, no TypeScript for the loader to transpile.
    const workspace = path.join(dir(), 'workspace');
    mkdirSync(path.join(workspace, 'lib'), { recursive: true });
    copyFileSync(
      path.join(dir(), 'out/lib/threshold_inference.js'),
      path.join(workspace, 'lib/threshold_inference.js'),
    );
    const modelDir = path.join(workspace, 'models', 'dense_ct');
    mkdirSync(modelDir, { recursive: true });
    copyFileSync(path.join(dir(), 'config_aiaa.json'), path.join(modelDir, 'config_aiaa.json'));
    const ran = run(process.execPath, ['out/main.js', workspace, modelDir, CT, path.join(dir(), 'output')], dir());
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);

    const summary = lastJsonLine(ran.stdout);
    expect(summary.stages).toEqual([
      'pre_transforms[0] LoadNifti',
      'inference threshold_inference.ThresholdInference',
      'writer WriteNifti',
    ]);
    expect(summary.shape).toEqual([...CT_FACTS.shape].reverse());
    expect(summary.dtype).toBe('uint8');
    expect(summary.foreground).toBe(VOXELS_FROM_151_HU);
  }, 120_000);

  it('refuses a plugin whose args break its contract, naming the plugin', () => {
    const modelDir = path.join(dir(), 'workspace', 'models', 'bad_args');
    mkdirSync(modelDir, { recursive: true });
    const config = JSON.parse(readFileSync(path.join(dir(), 'config_aiaa.json'), 'utf8')) as {
      inference: { args: Record<string, unknown> };
    };
    config.inference.args = { min_hu: 'high' };
    writeFileSync(path.join(modelDir, 'config_aiaa.json'), JSON.stringify(config));
    const ran = run(process.execPath, ['out/main.js', path.join(dir(), 'workspace'), modelDir, CT, 'out'], dir());
    expect(ran.status).toBe(1);
    expect(ran.stderr).toContain('threshold_inference');
    expect(ran.stderr).toContain('args.min_hu must be a finite number');
  }, 60_000);
});
