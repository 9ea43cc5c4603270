import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyMat4, invertMat4, mat4FromRows, mat4ToRows } from './affine';
import { MedicalImage } from './medical-image';
import { axisCodes, closestCanonical, undoReorientation } from './orientation';
import { readNifti } from '../nifti/read-nifti';

const FIXTURES = join(__dirname, '../../test/fixtures');
const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  { axcodes: string[]; affine: number[][] }
>;

/** A volume whose voxel value is its own linear index, so every move is visible. */
function indexed(shape: number[], affineRows: number[][], format: 'DHW' | 'CDHW' = 'DHW'): MedicalImage {
  const count = shape.reduce((a, b) => a * b, 1);
  const voxels = Int32Array.from({ length: count }, (_, i) => i);
  return new MedicalImage({ voxels, shape, shapeFormat: format, affine: mat4FromRows(affineRows) });
}

/** Every output voxel holds the input voxel at the same world position. */
function expectSameWorld(input: MedicalImage, output: MedicalImage): void {
  const toInput = invertMat4(input.affine);
  const [ix, iy, iz] = input.sizeIjk;
  const [ox, oy, oz] = output.sizeIjk;
  const volumeIn = ix * iy * iz;
  for (let c = 0; c < input.channels; c++) {
    for (let k = 0; k < oz; k++) {
      for (let j = 0; j < oy; j++) {
        for (let i = 0; i < ox; i++) {
          const [a, b, d] = applyMat4(toInput, applyMat4(output.affine, [i, j, k])).map(Math.round) as number[];
          const want = input.voxels[c * volumeIn + d! * ix * iy + b! * ix + a!];
          expect(output.voxels[c * ox * oy * oz + k * ox * oy + j * ox + i]).toBe(want);
        }
      }
    }
  }
}

describe('axisCodes', () => {
  it.each(Object.keys(EXPECTED))('gives nibabel’s codes for %s', (name) => {
    const rows = EXPECTED[name]!.affine;
    expect(axisCodes(mat4FromRows(rows))).toEqual(EXPECTED[name]!.axcodes);
  });

  it('names a permuted, flipped, oblique grid', () => {
    // i runs towards S, j towards L, k towards A, with a 20° tilt that does not change the closest axes.
    const c = Math.cos(0.35);
    const s = Math.sin(0.35);
    expect(
      axisCodes(
        mat4FromRows([
          [0, -3 * c, 4 * s, 0],
          [0, 3 * s, 4 * c, 0],
          [2, 0, 0, 0],
          [0, 0, 0, 1],
        ]),
      ),
    ).toEqual(['S', 'L', 'A']);
  });
});

describe('closestCanonical', () => {
  it('flips i of an LAS image (hand-computed affine and voxels)', () => {
    const image = indexed(
      [2, 3, 4],
      [
        [-2, 0, 0, 32],
        [0, 2, 0, -40],
        [0, 0, 2, -16],
        [0, 0, 0, 1],
      ],
    );
    const { image: ras, permutation, flipped } = closestCanonical(image);
    expect(permutation).toEqual([0, 1, 2]);
    expect(flipped).toEqual([true, false, false]);
    expect(mat4ToRows(ras.affine)).toEqual([
      [2, 0, 0, 26],
      [0, 2, 0, -40],
      [0, 0, 2, -16],
      [0, 0, 0, 1],
    ]);
    expect(Array.from(ras.voxels.subarray(0, 8))).toEqual([3, 2, 1, 0, 7, 6, 5, 4]);
    expect(axisCodes(ras.affine)).toEqual(['R', 'A', 'S']);
  });

  it('permutes and flips an SLA image so that every voxel keeps its world position', () => {
    const image = indexed(
      [5, 3, 4],
      [
        [0, -3, 0, 10],
        [0, 0, 4, -20],
        [2, 0, 0, 5],
        [0, 0, 0, 1],
      ],
    );
    const { image: ras, permutation, flipped } = closestCanonical(image);
    expect(permutation).toEqual([2, 0, 1]);
    expect(flipped).toEqual([false, true, false]);
    // Input i (4 voxels) → z, j (3) → x, k (5) → y.
    expect(ras.shape).toEqual([4, 5, 3]);
    expect(axisCodes(ras.affine)).toEqual(['R', 'A', 'S']);
    expectSameWorld(image, ras);
    const back = undoReorientation(ras, permutation, flipped);
    expect(back.shape).toEqual(image.shape);
    expect(Array.from(back.voxels)).toEqual(Array.from(image.voxels));
    mat4ToRows(back.affine).forEach((row, r) =>
      row.forEach((v, c) => expect(v).toBeCloseTo(mat4ToRows(image.affine)[r]![c]!, 12)),
    );
  });

  it('swaps j and k of an RSP image, copying whole rows along i', () => {
    const image = indexed(
      [3, 4, 5],
      [
        [1.5, 0, 0, 0],
        [0, 0, -2, 8],
        [0, 3, 0, -4],
        [0, 0, 0, 1],
      ],
    );
    expect(axisCodes(image.affine)).toEqual(['R', 'S', 'P']);
    const { image: ras, permutation, flipped } = closestCanonical(image);
    expect(permutation).toEqual([0, 2, 1]);
    expect(flipped).toEqual([false, false, true]);
    expect(ras.shape).toEqual([4, 3, 5]);
    expectSameWorld(image, ras);
    expect(Array.from(undoReorientation(ras, permutation, flipped).voxels)).toEqual(Array.from(image.voxels));
  });

  it('reorients every channel of a CDHW image', () => {
    const image = indexed(
      [2, 2, 3, 4],
      [
        [0, 0, -1, 0],
        [1, 0, 0, 0],
        [0, -1, 0, 0],
        [0, 0, 0, 1],
      ],
      'CDHW',
    );
    const { image: ras, permutation, flipped } = closestCanonical(image);
    expect(ras.shapeFormat).toBe('CDHW');
    expect(axisCodes(ras.affine)).toEqual(['R', 'A', 'S']);
    expectSameWorld(image, ras);
    expect(Array.from(undoReorientation(ras, permutation, flipped).voxels)).toEqual(Array.from(image.voxels));
  });

  it('returns the image itself when it is already RAS', async () => {
    const image = await readNifti(join(FIXTURES, 'nibabel_reoriented_anat_moved.nii'));
    const result = closestCanonical(image);
    expect(result.image).toBe(image);
    expect(result.flipped).toEqual([false, false, false]);
  });

  it.each(['nibabel_anatomical.nii', 'nibabel_example4d.nii.gz', 'spleen_8_label.nii.gz'])(
    'makes %s RAS and its inverse restores the exact voxels',
    async (name) => {
      const image = await readNifti(join(FIXTURES, name));
      expect(axisCodes(image.affine)).toEqual(EXPECTED[name]!.axcodes);
      const { image: ras, permutation, flipped } = closestCanonical(image);
      expect(axisCodes(ras.affine)).toEqual(['R', 'A', 'S']);
      // Voxel (0, 0, 0) of the canonical image is the input voxel at the far end of i (all three are L→R flips).
      const [nx] = image.sizeIjk;
      expect(ras.voxels[0]).toBe(image.voxels[nx - 1]);
      const back = undoReorientation(ras, permutation, flipped);
      expect(Buffer.compare(Buffer.from(back.voxels.buffer), Buffer.from(image.voxels.buffer))).toBe(0);
      mat4ToRows(back.affine).forEach((row, r) =>
        row.forEach((v, c) => expect(v).toBeCloseTo(mat4ToRows(image.affine)[r]![c]!, 9)),
      );
    },
  );
});

describe('closestCanonical with images it cannot reorient', () => {
  it('rejects channels-last formats naming the format', () => {
    const image = new MedicalImage({
      voxels: new Uint8Array(8),
      shape: [2, 2, 1, 2],
      shapeFormat: 'DHWC',
      affine: mat4FromRows([
        [-1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ]),
    });
    expect(() => closestCanonical(image)).toThrow(expect.objectContaining({ name: 'InvalidInputError' }));
    expect(() => closestCanonical(image)).toThrow(/DHWC/);
  });

  it('rejects an affine with an axis of no extent naming the axis', () => {
    const image = indexed(
      [2, 2, 2],
      [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 1],
      ],
    );
    expect(() => closestCanonical(image)).toThrow(/voxel axis k has no direction/);
  });
});

describe('closestCanonical on random grids', () => {
  it('yields RAS, keeps every voxel at its world point, and is undone exactly', () => {
    const grid = fc.record({
      axes: fc.constantFrom([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]),
      signs: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
      // A tilt under 25° about a random axis never changes which world axis is closest.
      tilt: fc.double({ min: -0.43, max: 0.43, noNaN: true }),
      tiltAxis: fc.integer({ min: 0, max: 2 }),
      sizes: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    });
    fc.assert(
      fc.property(grid, ({ axes, signs, tilt, tiltAxis, sizes }) => {
        // Column a of the affine points voxel axis a along world axis axes[a], negated when signs[a].
        const columns = axes.map((w, a) => [0, 1, 2].map((r) => (r === w ? (signs[a] ? -1 : 1) * (a + 1) : 0)));
        const [u, v] = [0, 1, 2].filter((r) => r !== tiltAxis) as [number, number];
        const cos = Math.cos(tilt);
        const sin = Math.sin(tilt);
        const rotated = columns.map((col) => {
          const out = [...col];
          out[u] = cos * col[u]! - sin * col[v]!;
          out[v] = sin * col[u]! + cos * col[v]!;
          return out;
        });
        const affine = [0, 1, 2].map((r) => [rotated[0]![r]!, rotated[1]![r]!, rotated[2]![r]!, r * 10 - 5]);
        const image = indexed([sizes[2], sizes[1], sizes[0]], [...affine, [0, 0, 0, 1]]);
        const letters = axes.map((w, a) => ['LR', 'PA', 'IS'][w]![signs[a] ? 0 : 1]);
        expect(axisCodes(image.affine)).toEqual(letters);
        const { image: ras, permutation, flipped } = closestCanonical(image);
        expect(permutation).toEqual(axes);
        expect(axisCodes(ras.affine)).toEqual(['R', 'A', 'S']);
        expectSameWorld(image, ras);
        const back = undoReorientation(ras, permutation, flipped);
        expect(back.shape).toEqual(image.shape);
        expect(Array.from(back.voxels)).toEqual(Array.from(image.voxels));
      }),
      { numRuns: 150 },
    );
  });
});
