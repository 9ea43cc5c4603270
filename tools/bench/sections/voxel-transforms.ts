import { CATALOGUE, MedicalImage, TransformContext, TransformRegistry } from '@aiaa/core';
import type { Report } from '../report';
import { gbPerSecond, timeRuns } from '../stats';

const registry = new TransformRegistry(CATALOGUE);

/** Runs one catalogue step on a context holding `image` under `image`. */
async function applyStep(name: string, args: Record<string, unknown>, image: MedicalImage): Promise<void> {
  const step = registry.build({ name, args }, `bench ${name}`);
  const ctx = new TransformContext({ images: [['image', image]] });
  await step.apply(ctx);
}

/** 2. Voxel-wise transforms in GB/s of input, single thread (goal ≥ 1 GB/s per core). */
export async function benchVoxelTransforms(report: Report, ct: MedicalImage, runs: number): Promise<void> {
  report.section('2. Voxel-wise transforms (goal ≥ 1 GB/s per core)');
  const asFloat = new MedicalImage({ ...ct, voxels: Float32Array.from(ct.voxels), source: 'float32' });
  const [depth = 1, height = 1, width = 1] = ct.spatialShape;
  const twoChannels = new MedicalImage({
    voxels: new Float32Array(2 * depth * height * width).map((_, i) => (i * 2654435761) % 1000),
    shape: [2, depth, height, width],
    shapeFormat: 'CDHW',
    affine: ct.affine,
  });
  const cases: [string, string, Record<string, unknown>, MedicalImage][] = [
    [
      'ScaleIntensityRange int16→float32',
      'ScaleIntensityRange',
      { fields: 'image', a_min: -57, a_max: 164, b_min: 0, b_max: 1, clip: true },
      ct,
    ],
    ['NormalizeNonzeroIntensities float32', 'NormalizeNonzeroIntensities', { fields: 'image' }, asFloat],
    ['ArgmaxAcrossChannels 2×float32', 'ArgmaxAcrossChannels', { fields: 'image' }, twoChannels],
  ];
  // The floor of any step that writes a new float32 volume: allocating it and touching every page once. Where fresh
  // memory is slow to fault in (a VM), this alone can exceed the 1 GB/s budget of a step.
  const voxelCount = ct.voxels.length;
  const floor = await timeRuns(runs, () => new Float32Array(voxelCount).fill(1));
  report.add({
    section: 'voxel',
    name: `floor: a fresh float32 output (${voxelCount} voxels) written once`,
    value: floor.medianMs,
    unit: 'ms',
    timing: floor,
  });
  for (const [label, name, args, image] of cases) {
    const timing = await timeRuns(runs, () => applyStep(name, args, image));
    const rate = gbPerSecond(image.voxels.byteLength, timing.medianMs);
    report.add({ section: 'voxel', name: label, value: rate, unit: 'GB/s', timing, goal: '≥ 1 GB/s', met: rate >= 1 });
  }
}
