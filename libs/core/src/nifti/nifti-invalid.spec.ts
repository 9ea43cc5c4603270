import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AiaaError, InvalidNiftiError, TooLargeError } from '../errors';
import { MedicalImage } from '../image/medical-image';
import { decodeNifti } from './decode-nifti';
import { encodeNifti } from './encode-nifti';
import { readNifti } from './read-nifti';

const FIXTURES = join(__dirname, '../../test/fixtures');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nifti-invalid-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A valid 5×4×3 int16 NIfTI-1 file: 352 header bytes + 120 voxel bytes. */
function validFile(): Buffer {
  const voxels = Int16Array.from({ length: 60 }, (_, i) => i);
  return Buffer.from(encodeNifti(new MedicalImage({ voxels, shape: [3, 4, 5], shapeFormat: 'DHW' })));
}

function decodeError(bytes: Uint8Array, options: { maxBytes?: number } = {}): unknown {
  try {
    decodeNifti(bytes, { source: 'bad.nii', ...options });
  } catch (error) {
    return error;
  }
  throw new Error('decodeNifti accepted the bytes');
}

async function readError(name: string, bytes: Uint8Array, options: { maxBytes?: number } = {}): Promise<unknown> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return readNifti(path, options).then(
    () => {
      throw new Error('readNifti accepted the file');
    },
    (error: unknown) => error,
  );
}

/** Asserts an InvalidNiftiError on `field` whose message names the file and the field. */
function expectInvalid(error: unknown, field: string, file: string, detail?: RegExp): void {
  expect(error).toBeInstanceOf(InvalidNiftiError);
  const e = error as InvalidNiftiError;
  expect(e.field).toBe(field);
  expect(e.message).toContain(file);
  expect(e.message).toContain(field);
  if (detail) {
    expect(e.message).toMatch(detail);
  }
}

describe('rejects a truncated header', () => {
  it('from bytes', () => {
    expectInvalid(decodeError(validFile().subarray(0, 200)), 'header', 'bad.nii', /200 of 348/);
  });
  it('from a gzip file', async () => {
    const path = 'short-header.nii.gz';
    expectInvalid(await readError(path, gzipSync(validFile().subarray(0, 100))), 'header', path, /100 of 348/);
  });
});

describe('rejects truncated voxels', () => {
  it('from a plain file, before allocating (the file size is known)', async () => {
    const error = await readError('short.nii', validFile().subarray(0, 462));
    expectInvalid(error, 'voxels', 'short.nii', /120 bytes from offset 352 \(462 bytes\)/);
  });
  it('from a gzip file that ends early', async () => {
    const error = await readError('short.nii.gz', gzipSync(validFile().subarray(0, 462)));
    expectInvalid(error, 'voxels', 'short.nii.gz', /110 of the 120 voxel bytes/);
  });
});

describe('rejects a wrong magic', () => {
  it('names the magic it found', () => {
    const bytes = validFile();
    bytes.write('abc\0', 344, 'latin1');
    expectInvalid(decodeError(bytes), 'magic', 'bad.nii', /expected "n\+1", got "abc/);
  });
  it('says a .hdr/.img pair is not supported', () => {
    const bytes = validFile();
    bytes.write('ni1\0', 344, 'latin1');
    expectInvalid(decodeError(bytes), 'magic', 'bad.nii', /\.hdr\/\.img pair/);
  });
});

describe('rejects a wrong sizeof_hdr', () => {
  it('names the value', () => {
    const bytes = validFile();
    bytes.writeInt32LE(349, 0);
    expectInvalid(decodeError(bytes), 'sizeof_hdr', 'bad.nii', /got 349/);
  });
});

describe('rejects dims ≤ 0', () => {
  it.each([
    [2, 0],
    [1, -5],
  ])('dim[%i] = %i', (index, value) => {
    const bytes = validFile();
    bytes.writeInt16LE(value, 40 + 2 * index);
    expectInvalid(decodeError(bytes), `dim[${index}]`, 'bad.nii', new RegExp(`got ${value}`));
  });
  it('a rank outside 1..7', () => {
    const bytes = validFile();
    bytes.writeInt16LE(9, 40);
    expectInvalid(decodeError(bytes), 'dim[0]', 'bad.nii', /got 9/);
  });
});

describe('rejects a header whose dims exceed the size limit, before allocating', () => {
  it('NIfTI-1: a 352-byte header claiming 32767³ int16', () => {
    const bytes = validFile().subarray(0, 352);
    for (const i of [1, 2, 3]) {
      bytes.writeInt16LE(32767, 40 + 2 * i);
    }
    const error = decodeError(bytes);
    expect(error).toBeInstanceOf(TooLargeError);
    expect((error as Error).message).toMatch(
      /bad\.nii: dim\[1\.\.3\] = 32767×32767×32767 int16 needs 70362301923326 bytes \(65530 GiB\), over the 2147483648-byte limit \(2 GiB\)/,
    );
    expect((error as AiaaError).kind).toBe('too-large');
  });
  it('NIfTI-2: a 544-byte header claiming 100000³ int16', async () => {
    const { gunzipSync } = await import('node:zlib');
    const header = Buffer.from(gunzipSync(await readFile(join(FIXTURES, 'nibabel_example_nifti2.nii.gz')))).subarray(
      0,
      544,
    );
    header.writeBigInt64LE(3n, 16);
    for (const i of [1, 2, 3]) {
      header.writeBigInt64LE(100000n, 16 + 8 * i);
    }
    const error = await readError('huge2.nii', header);
    expect(error).toBeInstanceOf(TooLargeError);
    expect((error as Error).message).toMatch(/huge2\.nii: dim\[1\.\.3\] = 100000×100000×100000 int16/);
  });
  it('a real file over a small maxBytes', async () => {
    const error = await readNifti(join(FIXTURES, 'nibabel_standard.nii.gz'), { maxBytes: 100 }).catch((e) => e);
    expect(error).toBeInstanceOf(TooLargeError);
    expect((error as Error).message).toMatch(/dim\[1\.\.3\] = 4×5×7 uint8 needs 140 bytes, over the 100-byte limit/);
  });
});

describe('rejects a vox_offset past the end', () => {
  it('of a plain file', async () => {
    const bytes = validFile();
    bytes.writeFloatLE(100000, 108);
    expectInvalid(await readError('far.nii', bytes), 'vox_offset', 'far.nii', /100000 is past the end/);
  });
  it('of a gzip stream', async () => {
    const bytes = validFile();
    bytes.writeFloatLE(100000, 108);
    expectInvalid(await readError('far.nii.gz', gzipSync(bytes)), 'vox_offset', 'far.nii.gz', /past the end/);
  });
  it('inside the header', () => {
    const bytes = validFile();
    bytes.writeFloatLE(200, 108);
    expectInvalid(decodeError(bytes), 'vox_offset', 'bad.nii', /200 points inside the header/);
  });
});

describe('rejects an unsupported datatype', () => {
  it.each([
    [128, 'rgb24'],
    [1024, 'int64'],
    [7, ''],
  ])('datatype %i', (code, name) => {
    const bytes = validFile();
    bytes.writeInt16LE(code, 70);
    expectInvalid(decodeError(bytes), 'datatype', 'bad.nii', new RegExp(`unsupported datatype ${code}.*${name}`));
  });
});

describe('stops a gzip bomb', () => {
  // One 64 MiB member of zeros, repeated: 1 GiB inflated from about 1 MB.
  const member = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const bomb = (head: Uint8Array): Buffer => Buffer.concat([gzipSync(head), ...Array<Buffer>(16).fill(member)]);

  it('that runs past the voxels its header promises', async () => {
    const error = await readError('bomb.nii.gz', bomb(validFile()));
    expectInvalid(error, 'dim', 'bomb.nii.gz', /run past the 472 bytes that vox_offset and dim\[1\.\.3\] = 3×4×5/);
    expect((error as AiaaError).kind).toBe('too-large');
  });
  it('of zeros only, at the header', async () => {
    expectInvalid(await readError('zeros.nii.gz', member), 'sizeof_hdr', 'zeros.nii.gz', /got 0/);
  });
  it('in memory, at what the header promises, without inflating the rest', () => {
    const started = process.cpuUsage();
    const error = decodeError(bomb(validFile()));
    expectInvalid(error, 'dim', 'bad.nii', /run past the 472 bytes that vox_offset and dim\[1\.\.3\] = 5×4×3 promise/);
    expect((error as AiaaError).kind).toBe('too-large');
    // Inflating the whole GiB takes seconds of CPU; stopping at 472 bytes takes next to none.
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(500);
  });
});

describe('recognises gzip by content, not by name', () => {
  it('reads a plain NIfTI named .nii.gz', async () => {
    const path = join(dir, 'plain-named.nii.gz');
    await writeFile(path, validFile());
    const image = await readNifti(path);
    expect(Array.from(image.voxels.subarray(0, 4))).toEqual([0, 1, 2, 3]);
  });
  it('rejects text named .nii.gz at sizeof_hdr', async () => {
    const error = await readError('text.nii.gz', Buffer.from('this is not a NIfTI file, nor gzip\n'));
    expectInvalid(error, 'sizeof_hdr', 'text.nii.gz');
  });
  it('rejects a corrupt gzip stream naming gzip', async () => {
    const bytes = gzipSync(validFile());
    bytes.fill(0xff, 10, 40);
    expectInvalid(await readError('corrupt.nii.gz', bytes), 'gzip', 'corrupt.nii.gz', /cannot inflate/);
    expectInvalid(decodeError(bytes), 'gzip', 'bad.nii', /cannot inflate/);
  });
});

describe('rejects an empty or missing file', () => {
  it('empty', async () => {
    expectInvalid(await readError('empty.nii', new Uint8Array(0)), 'sizeof_hdr', 'empty.nii', /empty/);
    expectInvalid(decodeError(new Uint8Array(0)), 'sizeof_hdr', 'bad.nii', /empty/);
  });
  it('missing, as not-found', async () => {
    const error = await readNifti(join(dir, 'nowhere.nii')).catch((e) => e);
    expectInvalid(error, 'file', 'nowhere.nii', /no such file/);
    expect((error as AiaaError).kind).toBe('not-found');
  });
});
