import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, TooLargeError } from '@aiaa/core';
import { ModelFileError, readModelFile, resolveModelPath } from './model-file';

describe('a config path stays inside its model folder', () => {
  it.each([
    ['/etc/passwd', 'by a relative path'],
    ['/no/such/file', 'by a relative path'],
    ['C:\\Windows\\win.ini', 'by a relative path'],
    ['../other/model.onnx', 'this one leaves it'],
    ['models/../../../etc/passwd', 'this one leaves it'],
    ['.', 'this one leaves it'],
  ])('refuses %s without looking at the file system', (declared, why) => {
    expect(() => resolveModelPath('/srv/models/m', declared)).toThrow(ConfigError);
    expect(() => resolveModelPath('/srv/models/m', declared)).toThrow(`path: must name a file inside the model folder`);
    expect(() => resolveModelPath('/srv/models/m', declared)).toThrow(why);
  });

  it('resolves a relative path inside it, .. included while it stays in', () => {
    expect(resolveModelPath('/srv/models/m', 'models/../model.onnx')).toBe('/srv/models/m/model.onnx');
    expect(resolveModelPath('/srv/models/m', 'models\\model.onnx')).toBe('/srv/models/m/models/model.onnx');
  });
});

describe('readModelFile: a regular file in the folder, bounded', () => {
  let dir: string;
  let folder: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'model-file-'));
    folder = path.join(dir, 'm');
    await mkdir(folder);
    await writeFile(path.join(folder, 'model.onnx'), Buffer.alloc(1000, 1));
    await writeFile(path.join(dir, 'outside.onnx'), 'secret');
    await symlink(path.join(dir, 'outside.onnx'), path.join(folder, 'link.onnx'));
    execFileSync('mkfifo', [path.join(folder, 'fifo.onnx')]);
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a regular file', async () => {
    const bytes = await readModelFile('m', path.join(folder, 'model.onnx'), { modelDir: folder });
    expect(bytes.length).toBe(1000);
  });

  it('refuses a FIFO at once (it would hang a reader), naming only the base name', async () => {
    const started = Date.now();
    const refusal = readModelFile('m', path.join(folder, 'fifo.onnx'), { modelDir: folder });
    await expect(refusal).rejects.toThrow(new ModelFileError('m', 'fifo.onnx', 'not a regular file'));
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses a device file', async () => {
    await expect(readModelFile('m', '/dev/zero')).rejects.toThrow("model 'm': model file zero: not a regular file");
  });

  it('refuses a link out of the folder, and names no path', async () => {
    const refusal = readModelFile('m', path.join(folder, 'link.onnx'), { modelDir: folder });
    await expect(refusal).rejects.toThrow("model 'm': model file link.onnx: links outside the model folder");
    await expect(refusal).rejects.not.toThrow(dir);
  });

  it('refuses a file over the size bound before reading it', async () => {
    const refusal = readModelFile('m', path.join(folder, 'model.onnx'), { modelDir: folder, maxBytes: 999 });
    await expect(refusal).rejects.toThrow(TooLargeError);
    await expect(refusal).rejects.toThrow(
      'model file model.onnx is 1000 bytes, over the 999 bytes a model file may have',
    );
  });

  it('says a missing file is missing in the folder, without its path', async () => {
    await expect(readModelFile('m', path.join(folder, 'gone.onnx'), { modelDir: folder })).rejects.toThrow(
      "model 'm': model file gone.onnx: not found in the model folder",
    );
  });
});
