import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InvalidInputError } from '../errors';
import { mat4FromRows } from '../image/affine';
import { MedicalImage } from '../image/medical-image';
import { writeNrrd } from './write-nrrd';

/** Splits a .nrrd file into its header fields and its data bytes (the header ends at the first blank line). */
function parseNrrd(bytes: Buffer): { magic: string; fields: Record<string, string>; data: Buffer } {
  const end = bytes.indexOf('\n\n');
  const [magic = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\n');
  const fields: Record<string, string> = {};
  for (const line of lines.filter((l) => !l.startsWith('#'))) {
    const at = line.indexOf(': ');
    fields[line.slice(0, at)] = line.slice(at + 2);
  }
  return { magic, fields, data: bytes.subarray(end + 2) };
}

describe('writeNrrd', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'nrrd-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // voxel (i, j, k) → RAS: x = -0.8 i + 10, y = 0.9 j - 20, z = 2 k + 5 (an LAS volume like the spleen CT)
  const affine = mat4FromRows([
    [-0.8, 0, 0, 10],
    [0, 0.9, 0, -20],
    [0, 0, 2, 5],
    [0, 0, 0, 1],
  ]);
  const label = new MedicalImage({
    voxels: Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i % 3),
    shape: [2, 3, 4],
    shapeFormat: 'DHW',
    affine,
  });

  it('writes LPS geometry, W H D sizes and the voxels in file order, gzipped', async () => {
    const file = path.join(dir, 'result.nrrd');
    await writeNrrd(file, label);
    const { magic, fields, data } = parseNrrd(readFileSync(file));
    expect(magic).toBe('NRRD0004');
    expect(fields).toMatchObject({
      type: 'uint8',
      dimension: '3',
      space: 'left-posterior-superior',
      sizes: '4 3 2',
      // LPS: x and y of every direction and of the origin change sign
      'space directions': '(0.8,0,0) (0,-0.9,0) (0,0,2)',
      kinds: 'domain domain domain',
      endian: 'little',
      encoding: 'gzip',
      'space origin': '(-10,20,5)',
    });
    expect([...gunzipSync(data)]).toEqual([...label.voxels]);
  });

  it('writes raw voxels in the asked datatype, and channels as a trailing list axis', async () => {
    const file = path.join(dir, 'prob.nrrd');
    const twoChannels = new MedicalImage({
      voxels: Float32Array.from([0.25, 300, -2, 1.5]),
      shape: [2, 1, 1, 2],
      shapeFormat: 'CDHW',
      affine,
    });
    await writeNrrd(file, twoChannels, { compress: false, dtype: 'uint8' });
    const { fields, data } = parseNrrd(readFileSync(file));
    expect(fields['sizes']).toBe('2 1 1 2');
    expect(fields['kinds']).toBe('domain domain domain list');
    expect(fields['space directions']).toBe('(0.8,0,0) (0,-0.9,0) (0,0,2) none');
    expect(fields['encoding']).toBe('raw');
    // rounded and clamped to uint8
    expect([...data]).toEqual([0, 255, 0, 2]);
  });

  it('refuses shapes NRRD output does not hold and leaves no file behind', async () => {
    const file = path.join(dir, 'slice.nrrd');
    const slice = new MedicalImage({ voxels: new Uint8Array(6), shape: [2, 3], shapeFormat: 'HW' });
    await expect(writeNrrd(file, slice)).rejects.toThrow(InvalidInputError);
    await expect(writeNrrd(file, slice)).rejects.toThrow(/DHW or CDHW images, not HW/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
