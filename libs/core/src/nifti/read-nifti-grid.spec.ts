import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InvalidNiftiError } from '../errors';
import { readNiftiGrid } from './read-nifti-grid';

/** Real NIfTI files with what nibabel 5.0 reads from them (`expected.json`: shape and affine). */
const FIXTURES = path.resolve(__dirname, '../../test/fixtures');

interface Expected {
  shape: number[];
  affine: number[][];
}

describe('readNiftiGrid', () => {
  let expected: Record<string, Expected>;
  let dir: string;

  beforeAll(async () => {
    expected = JSON.parse(await fs.readFile(path.join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Expected>;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nifti-grid-'));
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each([
    'spleen_8_ct.nii.gz',
    'nibabel_anatomical.nii',
    'nibabel_example4d.nii.gz',
    'nibabel_example_nifti2.nii.gz',
    'nibabel_standard.nii.gz',
  ])('reads the sizes and affine nibabel reads from %s', async (name) => {
    const grid = await readNiftiGrid(path.join(FIXTURES, name), name);
    const facts = expected[name] as Expected;
    expect(grid.sizeIjk).toEqual([0, 1, 2].map((axis) => facts.shape[axis] ?? 1));
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        expect(grid.affine[r * 4 + c]).toBeCloseTo(facts.affine[r]?.[c] as number, 4);
      }
    }
  });

  it('reads a gzip file shorter than a NIfTI-2 header: a one-voxel NIfTI-1', async () => {
    const header = Buffer.alloc(352);
    header.writeInt32LE(348, 0);
    [3, 1, 1, 1, 1, 1, 1, 1].forEach((d, i) => header.writeInt16LE(d, 40 + 2 * i));
    header.writeInt16LE(2, 70); // uint8
    header.writeInt16LE(8, 72);
    [1, 2, 3, 4].forEach((p, i) => header.writeFloatLE(p, 76 + 4 * i));
    header.writeFloatLE(352, 108);
    header.write('n+1\0', 344, 'latin1');
    const file = path.join(dir, 'one.nii.gz');
    await fs.writeFile(file, gzipSync(Buffer.concat([header, Buffer.from([7])])));
    const grid = await readNiftiGrid(file, 'one.nii.gz');
    expect(grid.sizeIjk).toEqual([1, 1, 1]);
    // Neither qform nor sform: nibabel's base affine, i flipped, voxel sizes from pixdim.
    expect([grid.affine[0], grid.affine[5], grid.affine[10]]).toEqual([-2, 3, 4]);
  });

  describe('bad files', () => {
    it('a file that is not NIfTI names sizeof_hdr', async () => {
      const file = path.join(dir, 'text.nii');
      await fs.writeFile(file, 'not a NIfTI header, only text'.repeat(30));
      await expect(readNiftiGrid(file, 'text.nii')).rejects.toThrow(InvalidNiftiError);
      await expect(readNiftiGrid(file, 'text.nii')).rejects.toThrow(/text\.nii.*sizeof_hdr/);
    });

    it('a gzip stream cut short names the file', async () => {
      const whole = await fs.readFile(path.join(FIXTURES, 'nibabel_standard.nii.gz'));
      const file = path.join(dir, 'cut.nii.gz');
      await fs.writeFile(file, whole.subarray(0, 30));
      await expect(readNiftiGrid(file, 'cut.nii.gz')).rejects.toThrow(InvalidNiftiError);
    });
  });
});
