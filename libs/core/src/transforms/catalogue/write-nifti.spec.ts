import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ConfigError, InvalidInputError } from '../../errors';
import { mat4FromRows } from '../../image/affine';
import { readNifti } from '../../nifti/read-nifti';
import { makeImage } from '../../testing';
import { CATALOGUE } from './index';
import { TransformRegistry } from '../registry';
import { TransformContext } from '../transform-context';

const registry = new TransformRegistry(CATALOGUE);
const affine = mat4FromRows([
  [-0.5, 0, 0, 12],
  [0, 0.75, 0, -3],
  [0, 0, 2, 40],
  [0, 0, 0, 1],
]);
let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aiaa-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function context(params: Record<string, unknown> = {}, key = 'model'): TransformContext {
  const label = makeImage(Float32Array.from([0, 1, 2, 1, 0, 300]), [1, 2, 3], 'DHW', affine);
  const ctx = new TransformContext({ images: [[key, label]], params, outputDir: dir });
  ctx.result().points = [[1, 2, 0]];
  return ctx;
}

async function isGzipped(file: string): Promise<boolean> {
  const bytes = await readFile(file);
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

describe('WriteNifti', () => {
  it('writes a gzipped NIfTI in the config dtype and hands back the file and result JSON', async () => {
    const ctx = context();
    await registry.build({ name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } }, 'writer').apply(ctx);
    const file = join(dir, 'result.nii.gz');
    expect(ctx.writerOutput).toEqual({ file, image: 'model', json: { points: [[1, 2, 0]] } });
    expect(await isGzipped(file)).toBe(true);
    const back = await readNifti(file);
    expect(back.dtype).toBe('uint8');
    expect(back.shape).toEqual([1, 2, 3]);
    // 300 clamps to 255 in uint8.
    expect(Array.from(back.voxels)).toEqual([0, 1, 2, 1, 0, 255]);
    expect(Array.from(back.affine)).toEqual(Array.from(affine));
  });

  it('lets the request choose extension and dtype (result_extension, result_dtype)', async () => {
    const ctx = context({ result_extension: '.nii', result_dtype: 'uint16' });
    await registry.build({ name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } }, 'writer').apply(ctx);
    const file = join(dir, 'result.nii');
    expect(ctx.writerOutput?.file).toBe(file);
    expect(await isGzipped(file)).toBe(false);
    const back = await readNifti(file);
    expect(back.dtype).toBe('uint16');
    expect(Array.from(back.voxels)).toEqual([0, 1, 2, 1, 0, 300]);
  });

  it('writes uncompressed when result_compress is false', async () => {
    const ctx = context({ result_compress: false });
    await registry.build({ name: 'WriteNifti', args: {} }, 'writer').apply(ctx);
    expect(ctx.writerOutput?.file).toBe(join(dir, 'result.nii'));
  });

  it('writes .nrrd as OHIF asks (result_extension, result_dtype uint16), gzip-encoded with LPS geometry', async () => {
    const ctx = context({ result_extension: '.nrrd', result_dtype: 'uint16' });
    await registry.build({ name: 'WriteNifti', args: {} }, 'writer').apply(ctx);
    expect(ctx.writerOutput?.file).toBe(join(dir, 'result.nrrd'));
    const bytes = await readFile(join(dir, 'result.nrrd'));
    const end = bytes.indexOf('\n\n');
    const header = bytes.subarray(0, end).toString('latin1');
    expect(header).toContain('type: uint16');
    expect(header).toContain('sizes: 3 2 1');
    expect(header).toContain('encoding: gzip');
    // RAS affine diag(-0.5, 0.75, 2) + (12, -3, 40) in LPS
    expect(header).toContain('space directions: (0.5,0,0) (0,-0.75,0) (0,0,2)');
    expect(header).toContain('space origin: (-12,3,40)');
    expect(Array.from(new Uint16Array(new Uint8Array(gunzipSync(bytes.subarray(end + 2))).buffer))).toEqual([
      0, 1, 2, 1, 0, 300,
    ]);
  });

  it('writes raw .nrrd when result_compress is false', async () => {
    const ctx = context({ result_extension: 'nrrd', result_compress: false, result_dtype: 'uint8' });
    await registry.build({ name: 'WriteNifti', args: {} }, 'writer').apply(ctx);
    const bytes = await readFile(join(dir, 'result.nrrd'));
    expect(bytes.toString('latin1')).toContain('encoding: raw');
    expect(Array.from(bytes.subarray(bytes.indexOf('\n\n') + 2))).toEqual([0, 1, 2, 1, 0, 255]);
  });

  describe('bad input', () => {
    it('refuses an extension it cannot write, naming result_extension', async () => {
      const ctx = context({ result_extension: '.mha' });
      const run = registry.build({ name: 'WriteNifti', args: {} }, 'writer').apply(ctx);
      await expect(run).rejects.toThrow(InvalidInputError);
      await expect(registry.build({ name: 'WriteNifti', args: {} }, 'writer').apply(ctx)).rejects.toThrow(
        /result_extension ".mha"/,
      );
    });

    it('refuses an unknown result_dtype', async () => {
      const ctx = context({ result_dtype: 'complex64' });
      await expect(registry.build({ name: 'WriteNifti', args: {} }, 'writer').apply(ctx)).rejects.toThrow(
        /result_dtype "complex64"/,
      );
    });

    it('names a bad dtype in the config', () => {
      const build = () => registry.build({ name: 'WriteNifti', args: { dtype: 'uint7' } }, 'writer');
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/writer WriteNifti: dtype/);
    });
  });
});

describe('aiaa.transforms.Writer', () => {
  it('writes data["pred"] and returns data["result"]', async () => {
    const ctx = context({}, 'pred');
    await registry
      .build({ name: 'aiaa.transforms.Writer', args: { image: 'pred', json: 'result' } }, 'writer')
      .apply(ctx);
    expect(ctx.writerOutput).toEqual({
      file: join(dir, 'result.nii.gz'),
      image: 'pred',
      json: { points: [[1, 2, 0]] },
    });
    expect(Array.from((await readNifti(join(dir, 'result.nii.gz'))).voxels)).toEqual([0, 1, 2, 1, 0, 300]);
  });

  it('returns JSON only when image is null', async () => {
    const ctx = context();
    await registry.build({ name: 'aiaa.transforms.Writer', args: { image: null } }, 'writer').apply(ctx);
    expect(ctx.writerOutput).toEqual({ json: { points: [[1, 2, 0]] } });
  });
});
