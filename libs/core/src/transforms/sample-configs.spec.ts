import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mat4ToRows } from '../image/affine';
import { MedicalImage } from '../image/medical-image';
import { readNifti } from '../nifti/read-nifti';
import { CATALOGUE } from './catalogue';
import { TransformRegistry } from './registry';
import type { Transform } from './transform';
import { TransformContext } from './transform-context';

const registry = new TransformRegistry(CATALOGUE);
const fixtures = join(__dirname, '../../test/fixtures');
const ctPath = join(fixtures, 'spleen_8_ct.nii.gz');

/** The v3 spleen config of AIAA-API §2b, verbatim (string booleans included). */
const v3 = {
  version: '3',
  type: 'segmentation',
  labels: ['spleen'],
  pre_transforms: [
    { name: 'LoadNifti', args: { fields: 'image', as_closest_canonical: 'false' } },
    { name: 'ConvertToChannelsFirst', args: { fields: 'image' } },
    { name: 'ScaleByResolution', args: { fields: 'image', target_resolution: [1.0, 1.0, 1.0], is_label: false } },
    {
      name: 'ScaleIntensityRange',
      args: { fields: 'image', a_min: -57, a_max: 164, b_min: 0.0, b_max: 1.0, clip: true },
    },
  ],
  post_transforms: [
    { name: 'ArgmaxAcrossChannels', args: { fields: 'model' } },
    { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
    { name: 'CopyProperties', args: { fields: ['model'], from_field: 'image', properties: ['affine'] } },
    { name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image', is_label: true } },
  ],
  writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
};

/** A v4 (MONAI) segmentation config in the shape of Clara's GettingStarted spleen model (AIAA-API §2a names). */
const v4 = {
  version: 1,
  type: 'segmentation',
  labels: ['spleen'],
  pre_transforms: [
    { name: 'monai.transforms.LoadImaged', args: { keys: 'image' } },
    { name: 'monai.transforms.AddChanneld', args: { keys: 'image' } },
    { name: 'monai.transforms.Spacingd', args: { keys: 'image', pixdim: [1.0, 1.0, 1.0] } },
    {
      name: 'monai.transforms.ScaleIntensityRanged',
      args: { keys: 'image', a_min: -57, a_max: 164, b_min: 0.0, b_max: 1.0, clip: true },
    },
    { name: 'monai.transforms.ToTensord', args: { keys: 'image' } },
  ],
  post_transforms: [
    { name: 'monai.transforms.Activationsd', args: { keys: 'pred', softmax: true } },
    { name: 'monai.transforms.AsDiscreted', args: { keys: 'pred', argmax: true } },
    { name: 'aiaa.transforms.LargestCCd', args: { keys: 'pred' } },
    { name: 'aiaa.transforms.ExtremePointsd', args: { keys: 'pred', result: 'result', points: 'points' } },
    { name: 'aiaa.transforms.BoundingBoxd', args: { keys: 'pred', result: 'result', bbox: 'bbox' } },
    { name: 'aiaa.transforms.Restored', args: { keys: 'pred', ref_image: 'image' } },
  ],
  writer: { name: 'aiaa.transforms.Writer', args: { image: 'pred', json: 'result' } },
};

/**
 * Stands in for the network: two channels over the pre-processed image, class 1 winning where the scaled intensity
 * exceeds 0.5 (−57 + 0.5 · 221 = 53.5 HU). Channel 0 is the constant `background`, channel 1 the image.
 */
function fakeScores(image: MedicalImage, background: number): MedicalImage {
  const size = image.spatialSize;
  const scores = new Float32Array(2 * size);
  scores.fill(background, 0, size);
  scores.set(image.voxels.subarray(0, size), size);
  return image.with({ voxels: scores, shape: [2, ...image.spatialShape], shapeFormat: 'CDHW' });
}

/**
 * The label the configs must write, computed from the CT without the code under test: restore reads, for each voxel q
 * of the CT grid, the 1 mm voxel u = round(q · (m − 1) / (n − 1)) (scipy zoom's corner-aligned grid, halves rounding
 * up), whose value is the CT trilinearly interpolated at u · (n − 1) / (m − 1); the stand-in network labels it 1 where
 * that is above 53.5 HU. Sizes: n = 512, 512, 32 → m = 402, 402, 240 along x, y, z.
 */
function expectedLabel(ct: MedicalImage): Uint8Array {
  const [nx, ny, nz] = [512, 512, 32];
  const positions = (n: number, m: number): Float64Array =>
    Float64Array.from({ length: n }, (_, q) => (Math.floor((q * (m - 1)) / (n - 1) + 0.5) * (n - 1)) / (m - 1));
  const [px, py, pz] = [positions(nx, 402), positions(ny, 402), positions(nz, 240)];
  const v = ct.voxels;
  const at = (x: number, y: number, z: number): number => v[(z * ny + y) * nx + x] as number;
  const out = new Uint8Array(v.length);
  let o = 0;
  for (let z = 0; z < nz; z++) {
    const fz = pz[z] as number;
    const z0 = Math.floor(fz);
    const z1 = Math.min(z0 + 1, nz - 1);
    const tz = fz - z0;
    for (let y = 0; y < ny; y++) {
      const fy = py[y] as number;
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, ny - 1);
      const ty = fy - y0;
      for (let x = 0; x < nx; x++, o++) {
        const fx = px[x] as number;
        const x0 = Math.floor(fx);
        const x1 = Math.min(x0 + 1, nx - 1);
        const tx = fx - x0;
        const lerpX = (yy: number, zz: number) => at(x0, yy, zz) * (1 - tx) + at(x1, yy, zz) * tx;
        const plane = (zz: number) => lerpX(y0, zz) * (1 - ty) + lerpX(y1, zz) * ty;
        out[o] = plane(z0) * (1 - tz) + plane(z1) * tz > 53.5 ? 1 : 0;
      }
    }
  }
  return out;
}

async function runAll(transforms: Transform[], ctx: TransformContext): Promise<void> {
  for (const transform of transforms) {
    await transform.apply(ctx);
  }
}

describe('sample configs on a real CT (spleen_8_ct.nii.gz, 512×512×32, 0.785×0.785×7.5 mm)', () => {
  let dir = '';
  let ct: MedicalImage;
  /** What the whole chain must give, computed straight from the CT (see {@link expectedLabel}). */
  let expectedMask: Uint8Array;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aiaa-configs-'));
    ct = await readNifti(ctPath);
    expectedMask = expectedLabel(ct);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The written result: on the CT's grid, voxel for voxel the label {@link expectedLabel} predicts. */
  async function checkResult(file: string): Promise<void> {
    const written = await readNifti(file);
    expect(written.dtype).toBe('uint8');
    expect(written.shape).toEqual(ct.shape);
    expect(mat4ToRows(written.affine)).toEqual(mat4ToRows(ct.affine));
    let differ = 0;
    let foreground = 0;
    for (let i = 0; i < expectedMask.length; i++) {
      foreground += expectedMask[i] as number;
      differ += written.voxels[i] === expectedMask[i] ? 0 : 1;
    }
    expect(foreground).toBeGreaterThan(100_000);
    // Only float32 rounding of values within a hair of the threshold may differ.
    expect(differ).toBeLessThan(expectedMask.length * 1e-5);
  }

  it('runs the v3 config of §2b unchanged', async () => {
    const pre = registry.buildList(v3.pre_transforms, 'pre_transforms');
    const post = registry.buildList(v3.post_transforms, 'post_transforms');
    const writer = registry.build(v3.writer, 'writer');
    const ctx = new TransformContext({ outputDir: dir });
    ctx.setProperty('image_path', ctPath);
    await runAll(pre, ctx);
    const image = ctx.getImage('image');
    // 512 · 0.785 ≈ 402, 32 · 7.5 = 240 voxels at 1 mm.
    expect(image.shape).toEqual([1, 240, 402, 402]);
    ctx.setImage('model', fakeScores(image, 0.5));
    await runAll(post, ctx);
    await writer.apply(ctx);
    expect(ctx.writerOutput?.file).toBe(join(dir, 'result.nii.gz'));
    expect((ctx.writerOutput?.json['points'] as unknown[]).length).toBe(6);
    const bytes = await readFile(join(dir, 'result.nii.gz'));
    expect(bytes[0]).toBe(0x1f);
    await checkResult(join(dir, 'result.nii.gz'));
  }, 300_000);

  it('runs a v4 (MONAI names) config unchanged, with the request choosing .nii', async () => {
    const pre = registry.buildList(v4.pre_transforms, 'pre_transforms');
    const post = registry.buildList(v4.post_transforms, 'post_transforms');
    const writer = registry.build(v4.writer, 'writer');
    // The server has already read the upload under `image`; LoadImaged uses it.
    const ctx = new TransformContext({
      images: [['image', ct]],
      outputDir: dir,
      params: { result_extension: '.nii' },
    });
    await runAll(pre, ctx);
    ctx.setImage('pred', fakeScores(ctx.getImage('image'), 0.5));
    await runAll(post, ctx);
    await writer.apply(ctx);
    expect(ctx.writerOutput?.file).toBe(join(dir, 'result.nii'));
    const json = ctx.writerOutput?.json ?? {};
    expect(Object.keys(json).sort()).toEqual(['bbox', 'points']);
    const written = await readNifti(join(dir, 'result.nii'));
    expect(written.shape).toEqual(ct.shape);
    expect(mat4ToRows(written.affine)).toEqual(mat4ToRows(ct.affine));
    let outside = 0;
    // LargestCCd keeps one body of the label, so every kept voxel must be in the expected label.
    let kept = 0;
    for (let i = 0; i < expectedMask.length; i++) {
      if (written.voxels[i] === 1) {
        kept++;
        outside += expectedMask[i] === 1 ? 0 : 1;
      }
    }
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(100_000);
    expect(outside).toBeLessThan(expectedMask.length * 1e-5);
  }, 300_000);
});
