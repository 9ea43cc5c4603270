import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { filePart, formDataOf } from './upload-parts';

describe('filePart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aiaa-client-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('from a path: the file’s bytes under its base name, or under the name given', async () => {
    const file = path.join(dir, 'ct.nii.gz');
    const bytes = Buffer.from('not really a volume, but bytes all the same');
    await fs.writeFile(file, bytes);
    const part = await filePart(file);
    expect(part.name).toBe('ct.nii.gz');
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await filePart(file, 'renamed.nii.gz')).name).toBe('renamed.nii.gz');
  });

  it('from bytes: a copy under the name given (default `upload`)', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const part = await filePart(bytes, 'mask.nii');
    bytes[0] = 9;
    expect([part.name, [...new Uint8Array(await part.arrayBuffer())]]).toEqual(['mask.nii', [1, 2, 3]]);
    expect((await filePart(bytes)).name).toBe('upload');
  });

  it('from a missing path or a folder: an error naming the path', async () => {
    const missing = path.join(dir, 'missing.nii');
    await expect(filePart(missing)).rejects.toThrow(`ENOENT: no such file or directory, stat '${missing}'`);
    await expect(filePart(dir)).rejects.toThrow(`${dir}: not a file`);
  });
});

describe('formDataOf: one part per key, read back by Node’s own multipart parser (undici)', () => {
  it('sends files with their names, strings as they are, objects as JSON, and leaves out undefined', async () => {
    const form = formDataOf({
      params: { points: [[1, 2, 3]] },
      datapoint: new File([new Uint8Array([7, 8])], 'ct.nii'),
      config: '{"type": "segmentation"}',
      data: new Blob([new Uint8Array([5])]),
      session_id: undefined,
    });
    const parsed = await new Response(form).formData();
    expect([...parsed.keys()]).toEqual(['params', 'datapoint', 'config', 'data']);
    expect(parsed.get('params')).toBe('{"points":[[1,2,3]]}');
    expect(parsed.get('config')).toBe('{"type": "segmentation"}');
    const datapoint = parsed.get('datapoint') as File;
    expect([datapoint.name, [...new Uint8Array(await datapoint.arrayBuffer())]]).toEqual(['ct.nii', [7, 8]]);
    expect((parsed.get('data') as File).name).toBe('data');
  });

  it('passes a FormData as it is, and refuses a body that is not an object of parts', () => {
    const form = new FormData();
    expect(formDataOf(form)).toBe(form);
    expect(() => formDataOf('params')).toThrow(TypeError);
    expect(() => formDataOf([1])).toThrow('expected an object of multipart parts');
  });
});
