import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type MedicalImage, readNifti } from '@aiaa/core';
import { EXIT, main } from './infer';

// The brain MRI models of workspace/models, run as `npm run infer` runs them: real onnxruntime sessions on the shipped
// networks, the real T1 of samples/ and two T1s that are not conformed (libs/core/test/fixtures/README.md). The reference volumes
// are the ones documented with the model files and this T1 (WM 519 mL, GM 735 mL, brain 1607 mL), not values this
// code produced.
const REPO = path.resolve(__dirname, '../..');
const MODELS = path.join(REPO, 'workspace/models');
const SAMPLE_T1 = path.join(REPO, 'samples/mri_t1_conformed_256.nii.gz');
const FIXTURES = path.join(REPO, 'libs/core/test/fixtures');
const RESLICED_T1 = path.join(FIXTURES, 'mri_t1_ras_1.2mm.nii.gz');
const MNI_TEMPLATE = path.join(FIXTURES, 'nrj_avg152T1_LR.nii.gz');

/** The 256³ runs take seconds to a minute each on two cores, several when the machine is shared. */
const MESHNET_MS = 180_000;
const SLOW_MS = 600_000;

interface Segmented {
  /** What the command printed on stderr: progress, the stage timings, the label volumes. */
  readonly printed: string;
  readonly input: MedicalImage;
  readonly labels: MedicalImage;
  /** mL per label value, from the voxel count and the voxel size of the result's own grid. */
  readonly mL: number[];
}

let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'aiaa-brain-'));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Runs `npm run infer -- --model workspace/models/<model> --image <image> --output <tmp>` and reads the result. */
async function segment(model: string, image: string): Promise<Segmented> {
  const output = path.join(outDir, `${model}-${path.basename(image)}`);
  const args = ['--model', path.join(MODELS, model), '--image', image, '--output', output];
  const printed: string[] = [];
  const code = await main(args, { out: () => undefined, err: (line) => printed.push(line), cwd: REPO });
  // On failure the last lines say why.
  expect({ code, lastLines: printed.slice(-2) }).toEqual({ code: EXIT.ok, lastLines: expect.any(Array) });
  const labels = await readNifti(output);
  const [x, y, z] = labels.spacingMm;
  const counts: number[] = [];
  for (let i = 0; i < labels.voxels.length; i++) {
    const value = labels.voxels[i] as number;
    counts[value] = (counts[value] ?? 0) + 1;
  }
  const mL = Array.from(counts, (count) => ((count ?? 0) * x * y * z) / 1000);
  return { printed: printed.join('\n'), input: await readNifti(image), labels, mL };
}

/** The result lies on the input's own grid: same voxel shape and the same affine, labels as uint8. */
function expectOnInputGrid({ input, labels }: Segmented): void {
  expect(labels.shape).toEqual(input.shape);
  expect(Array.from(labels.affine)).toEqual(Array.from(input.affine));
  expect(labels.dtype).toBe('uint8');
}

/** How many labelled voxels have an input intensity of 0 (the air around the head). */
function labelledOutsideHead({ input, labels }: Segmented): number {
  let outside = 0;
  for (let i = 0; i < labels.voxels.length; i++) {
    outside += labels.voxels[i] !== 0 && input.voxels[i] === 0 ? 1 : 0;
  }
  return outside;
}

function expectWithin(actual: number | undefined, reference: number, fraction: number): void {
  expect(actual).toBeGreaterThanOrEqual(reference * (1 - fraction));
  expect(actual).toBeLessThanOrEqual(reference * (1 + fraction));
}

// Kept from the MeshNet run on the sample for the mindgrab check (which runs it when run alone).
let meshnetOnSample: Segmented | undefined;

describe('brain_mri_meshnet_gwm (MeshNet grey/white matter)', () => {
  it(
    'reproduces the reference volumes on the conformed sample T1: white matter 519 mL, grey matter 735 mL (±2 %)',
    async () => {
      const result = await segment('brain_mri_meshnet_gwm', SAMPLE_T1);
      meshnetOnSample = result;
      expectOnInputGrid(result);
      expect(result.mL.length).toBe(3);
      expectWithin(result.mL[1], 519, 0.02);
      expectWithin(result.mL[2], 735, 0.02);
      // The command prints them as the README shows them.
      const printed = /^\s+1\s+white matter\s+(\d+\.\d) mL\n\s+2\s+grey matter\s+(\d+\.\d) mL$/m.exec(result.printed);
      expect(Math.abs(Number(printed?.[1]) - (result.mL[1] ?? 0))).toBeLessThanOrEqual(0.05);
      expect(Math.abs(Number(printed?.[2]) - (result.mL[2] ?? 0))).toBeLessThanOrEqual(0.05);
    },
    MESHNET_MS,
  );

  it(
    'segments the same T1 resliced to 1.2 mm RAS on its own grid, with the volumes of the sample',
    async () => {
      // Plausible here means "the same head's volumes": the fixture is the sample resampled by nibabel/scipy, and the
      // conform step resamples it back to ~1 mm. The two trilinear resamplings blur the grey/white boundary, which
      // moves a few % of voxels between the classes (white matter came out 7 % larger), but not in or out of the
      // brain: each class within 10 % of the reference, the tissue (both together, 1254 mL) within 5 %.
      const result = await segment('brain_mri_meshnet_gwm', RESLICED_T1);
      expectOnInputGrid(result);
      expect(result.labels.shape).toEqual([214, 214, 214]);
      expectWithin(result.mL[1], 519, 0.1);
      expectWithin(result.mL[2], 735, 0.1);
      expectWithin((result.mL[1] ?? 0) + (result.mL[2] ?? 0), 519 + 735, 0.05);
      expect(labelledOutsideHead(result)).toBe(0);
    },
    MESHNET_MS,
  );

  it(
    'segments the 2 mm LAS MNI template (avg152T1, 91×109×91) on its own grid, with plausible volumes',
    async () => {
      // Plausible here: adult brain tissue is 1.0–1.5 L, and MNI space is larger than a native head (FSL's MNI152
      // brain mask, CSF included, holds about 1.9 L), so tissue between 1.2 and 2.0 L; the template is an average of
      // 152 blurred brains, so the grey/white split is loose, but neither class may swallow the other (each ≥ 25 %
      // of the tissue); nothing is labelled in the air around the head.
      const result = await segment('brain_mri_meshnet_gwm', MNI_TEMPLATE);
      expectOnInputGrid(result);
      expect(result.labels.shape).toEqual([91, 109, 91]);
      const [white, grey] = [result.mL[1] ?? 0, result.mL[2] ?? 0];
      expect(white + grey).toBeGreaterThan(1200);
      expect(white + grey).toBeLessThan(2000);
      expect(Math.min(white, grey) / (white + grey)).toBeGreaterThanOrEqual(0.25);
      expect(labelledOutsideHead(result)).toBe(0);
    },
    MESHNET_MS,
  );
});

describe('[slow: 45–90 s, 2.2–3.3 GB] brain_mri_skullstrip_mindgrab (brain extraction, whole volume)', () => {
  it(
    "reproduces the reference brain volume on the sample T1: 1607 mL (±2 %), a mask holding MeshNet's tissue",
    async () => {
      const result = await segment('brain_mri_skullstrip_mindgrab', SAMPLE_T1);
      expectOnInputGrid(result);
      expect(result.mL.length).toBe(2);
      expectWithin(result.mL[1], 1607, 0.02);
      expect(labelledOutsideHead(result)).toBe(0);
      // Two independent networks agree: the grey and white matter MeshNet found lie inside the brain mask.
      meshnetOnSample ??= await segment('brain_mri_meshnet_gwm', SAMPLE_T1);
      const tissue = meshnetOnSample.labels.voxels;
      let inside = 0;
      let total = 0;
      for (let i = 0; i < tissue.length; i++) {
        if (tissue[i] !== 0) {
          total++;
          inside += result.labels.voxels[i] === 1 ? 1 : 0;
        }
      }
      expect(inside / total).toBeGreaterThanOrEqual(0.99);
    },
    SLOW_MS,
  );
});

describe('[slow: 35–80 s, 4.2–5.4 GB] brain_mri_subcortical_18cls (17 structures named in the model file)', () => {
  it(
    'gives every one of its 18 label values on the sample T1, deep structures of adult size',
    async () => {
      const result = await segment('brain_mri_subcortical_18cls', SAMPLE_T1);
      expectOnInputGrid(result);
      expect(result.mL.length).toBe(18);
      expect(result.mL.every((mL) => mL > 0)).toBe(true);
      expect(labelledOutsideHead(result)).toBe(0);
      // Plausible means within broad ranges for healthy adults, left and right together, as FreeSurfer's aseg
      // statistics give them: wide enough for any adult head, narrow enough that a structure labelled as its
      // neighbour, or one side lost, falls out.
      const ranges: [number, string, number, number][] = [
        [7, 'Thalamus', 10, 20],
        [8, 'Caudate', 5, 11],
        [9, 'Putamen', 7, 14],
        [10, 'Pallidum', 2, 5],
        [13, 'Brain-Stem', 15, 30],
        [14, 'Hippocampus', 6, 11],
        [15, 'Amygdala', 2, 6],
      ];
      const outOfRange = ranges
        .filter(([value, , low, high]) => !((result.mL[value] ?? 0) >= low && (result.mL[value] ?? 0) <= high))
        .map(([value, name, low, high]) => `${name} ${result.mL[value]?.toFixed(1)} mL, not in ${low}–${high}`);
      expect(outOfRange).toEqual([]);
      // Another network, another label set, the same head: every structure but the ventricles (3, 4, 11, 12) is grey
      // or white matter, which MeshNet measures as 519 + 735 mL; within 5 %.
      const ventricles = new Set([0, 3, 4, 11, 12]);
      const tissue = result.mL.reduce((sum, mL, value) => (ventricles.has(value) ? sum : sum + mL), 0);
      expectWithin(tissue, 519 + 735, 0.05);
    },
    SLOW_MS,
  );
});
