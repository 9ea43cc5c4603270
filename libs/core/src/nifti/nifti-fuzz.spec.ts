import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AiaaError } from '../errors';
import { mat4FromRows } from '../image/affine';
import { VOXEL_DTYPES, castVoxels } from '../image/dtype';
import { MedicalImage } from '../image/medical-image';
import { qformAffine } from './nifti-affine';
import { decodeNifti } from './decode-nifti';
import { encodeNifti } from './encode-nifti';
import { readNiftiHeader } from './read-nifti-header';

// Decoding random bytes must end in an image or one of our errors, never a RangeError, TypeError or a hang.
const NIFTI1 = encodeNifti(
  new MedicalImage({
    voxels: Int16Array.from({ length: 60 }, (_, i) => i * 3 - 50),
    shape: [3, 4, 5],
    shapeFormat: 'DHW',
  }),
);
const NIFTI2 = new Uint8Array(
  gunzipSync(readFileSync(join(__dirname, '../../test/fixtures', 'nibabel_example_nifti2.nii.gz'))),
);
const LIMITS = { maxBytes: 1024 * 1024, source: 'fuzz.nii' };

function decodesOrThrowsOurs(bytes: Uint8Array): void {
  try {
    const image = decodeNifti(bytes, LIMITS);
    expect(image.voxels.length).toBe(image.shape.reduce((a, b) => a * b, 1));
  } catch (error) {
    if (!(error instanceof AiaaError)) {
      throw error;
    }
  }
}

/** Up to 8 (offset, value) writes into the first `span` bytes. */
const mutations = (span: number): fc.Arbitrary<[number, number][]> =>
  fc.array(fc.tuple(fc.nat({ max: span - 1 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 });

function mutate(original: Uint8Array, writes: [number, number][]): Uint8Array {
  const bytes = original.slice();
  for (const [at, value] of writes) {
    bytes[at] = value;
  }
  return bytes;
}

describe('decodeNifti on mutated headers', () => {
  it('NIfTI-1: throws only AiaaError subclasses', () => {
    fc.assert(
      fc.property(mutations(352), (writes) => decodesOrThrowsOurs(mutate(NIFTI1, writes))),
      { numRuns: 400 },
    );
  });

  it('NIfTI-1: mutations of the fields that size the data (dim, datatype, vox_offset, sizeof_hdr)', () => {
    const sizing = fc.constantFrom(0, 1, 2, 3, 40, 41, 42, 43, 44, 45, 46, 47, 70, 71, 108, 109, 110, 111);
    fc.assert(
      fc.property(fc.array(fc.tuple(sizing, fc.nat({ max: 255 })), { minLength: 1, maxLength: 6 }), (writes) =>
        decodesOrThrowsOurs(mutate(NIFTI1, writes)),
      ),
      { numRuns: 400 },
    );
  });

  it('NIfTI-2: throws only AiaaError subclasses', () => {
    fc.assert(
      fc.property(mutations(544), (writes) => decodesOrThrowsOurs(mutate(NIFTI2, writes))),
      { numRuns: 300 },
    );
  });

  it('truncated anywhere, plain or gzipped: throws only AiaaError subclasses', () => {
    fc.assert(
      fc.property(fc.nat({ max: NIFTI1.length }), fc.boolean(), (length, gzip) => {
        const cut = NIFTI1.subarray(0, length);
        decodesOrThrowsOurs(gzip ? gzipSync(cut) : cut);
      }),
      { numRuns: 300 },
    );
  });

  it('readNiftiHeader on random bytes throws only AiaaError subclasses', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (bytes) => {
        try {
          readNiftiHeader(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(AiaaError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeNifti → decodeNifti on random images', () => {
  it('gives back the voxels, the affine and a matching qform', () => {
    const image = fc.record({
      dtype: fc.constantFrom(...VOXEL_DTYPES),
      shape: fc.tuple(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
      ),
      // A rotation from a random unit quaternion, voxel sizes, a flip and an offset: any grid a qform can hold.
      quaternion: fc.tuple(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
      ),
      zooms: fc.tuple(
        fc.double({ min: 0.1, max: 8, noNaN: true }),
        fc.double({ min: 0.1, max: 8, noNaN: true }),
        fc.double({ min: 0.1, max: 8, noNaN: true }),
      ),
      flip: fc.boolean(),
      offset: fc.tuple(
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: -300, max: 300 }),
      ),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(image, ({ dtype, shape, quaternion, zooms, flip, offset, seed }) => {
        const norm = Math.hypot(...quaternion);
        fc.pre(norm > 0.1);
        const [a, b, c, d] = quaternion.map((q) => q / norm) as [number, number, number, number];
        const rotation = [
          [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
          [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
          [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
        ];
        const scale = [zooms[0], zooms[1], zooms[2] * (flip ? -1 : 1)];
        const affine = mat4FromRows([
          ...rotation.map((row, r) => [...row.map((v, col) => v * scale[col]!), offset[r]!]),
          [0, 0, 0, 1],
        ]);
        const [channels, depth, height, width] = shape;
        const count = channels * depth * height * width;
        const values = Float64Array.from({ length: count }, (_, i) => (((i + 1) * 2654435761 + seed) % 1000) - 500);
        const voxels = castVoxels(values, dtype);
        const input = new MedicalImage({ voxels, shape, shapeFormat: 'CDHW', affine });
        const back = decodeNifti(encodeNifti(input));
        expect(back.dtype).toBe(dtype);
        expect(Array.from(back.voxels)).toEqual(Array.from(voxels));
        expect(back.shape).toEqual(channels === 1 ? [depth, height, width] : shape);
        for (let i = 0; i < 12; i++) {
          // The sform is float32: equal to its precision.
          const v = affine[i] as number;
          expect(Math.abs((back.affine[i] as number) - v)).toBeLessThan(1e-6 * (1 + Math.abs(v)));
        }
        // The qform keeps b, c, d as float32 and recomputes a = sqrt(1 - b² - c² - d²): a² is off by up to ~6 float32
        // ulps, which near a 180° turn (a ≈ 0) moves a by up to sqrt of that (the format's own limit, nibabel's too),
        // and every rotation entry by up to 4·Δa, scaled by the voxel size.
        const a2Error = 6 * 2 ** -24;
        const aError = Math.min(Math.sqrt(a2Error), a2Error / Math.abs(a));
        const qformSlack = 4 * aError * Math.max(...zooms);
        const q = qformAffine(back.header!);
        for (let i = 0; i < 12; i++) {
          const v = affine[i] as number;
          expect(Math.abs((q[i] as number) - v)).toBeLessThan(1e-5 * (1 + Math.abs(v)) + qformSlack);
        }
      }),
      {
        numRuns: 200,
        // A 180° turn about z with a tilt of 1e-6 rad: found by a run whose slack ignored the qform's float32 limit.
        examples: [
          [
            {
              dtype: 'uint8',
              shape: [1, 1, 1, 1],
              quaternion: [6.250062500626231e-8, 0, 0, -0.09999999999998051],
              zooms: [0.1, 7.999999999999993, 0.1],
              flip: false,
              offset: [0, 0, 0],
              seed: 0,
            },
          ],
        ],
      },
    );
  });
});
