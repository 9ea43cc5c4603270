import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AiaaError } from '../src/errors';
import { MedicalImage } from '../src/image/medical-image';
import { decodeNifti, encodeNifti, readNiftiHeader } from '../src/nifti';

// Decoding random bytes must end in an image or one of our errors, never a RangeError, TypeError or a hang.
const NIFTI1 = encodeNifti(
  new MedicalImage({
    voxels: Int16Array.from({ length: 60 }, (_, i) => i * 3 - 50),
    shape: [3, 4, 5],
    shapeFormat: 'DHW',
  }),
);
const NIFTI2 = new Uint8Array(gunzipSync(readFileSync(join(__dirname, 'fixtures', 'nibabel_example_nifti2.nii.gz'))));
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
