import { type MedicalImage, isIntegerDType } from '@aiaa/core';

/** One label value of a label map: its voxel count and the volume they fill. */
export interface LabelVolume {
  readonly label: number;
  readonly voxels: number;
  /** Voxel count × voxel size (from the image's own spacing), in millilitres. */
  readonly mL: number;
}

/** Label values above this are not a label map worth listing. */
const MAX_LABEL = 65_535;

/**
 * The volume of each label value present in an integer label map (background 0 included), in ascending order; undefined
 * for a float image or one with negative or huge values, which are not label maps.
 */
export function labelVolumes(image: MedicalImage): LabelVolume[] | undefined {
  if (!isIntegerDType(image.dtype)) {
    return undefined;
  }
  const voxels = image.voxels;
  const counts = new Float64Array(MAX_LABEL + 1);
  for (let i = 0; i < voxels.length; i++) {
    const value = voxels[i] as number;
    if (value < 0 || value > MAX_LABEL) {
      return undefined;
    }
    counts[value] = (counts[value] as number) + 1;
  }
  const [x, y, z] = image.spacingMm;
  const voxelMl = (x * y * z) / 1000;
  const volumes: LabelVolume[] = [];
  counts.forEach((count, label) => {
    if (count > 0) {
      volumes.push({ label, voxels: count, mL: count * voxelMl });
    }
  });
  return volumes;
}

/**
 * The volumes as the CLI prints them, one label a line: value, name (`labelNames[value − 1]`, AIAA's order; value 0 is
 * the background) and mL.
 */
export function volumeTable(volumes: readonly LabelVolume[], labelNames: readonly string[]): string {
  const names = volumes.map((v) => (v.label === 0 ? 'background' : (labelNames[v.label - 1] ?? '')));
  const width = Math.max(...names.map((n) => n.length));
  return volumes
    .map(
      (v, i) =>
        `  ${String(v.label).padStart(3)}  ${(names[i] ?? '').padEnd(width)}  ${v.mL.toFixed(1).padStart(9)} mL`,
    )
    .join('\n');
}
