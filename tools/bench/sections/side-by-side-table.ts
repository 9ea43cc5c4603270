import type { MedicalImage } from '@aiaa/core';

/** One stage of the side-by-side table (medians, ms; NaN where a side does not time that stage on its own). */
export interface StageRow {
  stage: string;
  pythonMs: number;
  cliMs: number;
  httpMs: number;
}

/** Prints the stages as columns Python | CLI | warm HTTP | Python / CLI. */
export function printSideBySide(rows: readonly StageRow[], withPython: boolean): void {
  const cell = (v: number, width = 11) => (Number.isFinite(v) ? v.toFixed(0) : '—').padStart(width);
  console.log(
    `  ${'stage (median ms)'.padEnd(42)}${'Python'.padStart(11)}${'ours CLI'.padStart(11)}${'warm HTTP'.padStart(11)}${'Py / CLI'.padStart(11)}`,
  );
  for (const row of rows) {
    const ratio = withPython && row.cliMs > 0 ? `${(row.pythonMs / row.cliMs).toFixed(2)}×` : '—';
    console.log(
      `  ${row.stage.padEnd(42)}${cell(row.pythonMs)}${cell(row.cliMs)}${cell(row.httpMs)}${ratio.padStart(11)}`,
    );
  }
}

/**
 * Dice of the foreground (any non-zero voxel) of two label images on the same grid: 2·|A∩B| / (|A| + |B|).
 * @throws Error when the grids differ.
 */
export function diceOfMasks(a: MedicalImage, b: MedicalImage): number {
  if (a.voxels.length !== b.voxels.length || a.spatialShape.join() !== b.spatialShape.join()) {
    throw new Error(`masks on different grids: [${a.spatialShape.join(', ')}] vs [${b.spatialShape.join(', ')}]`);
  }
  let both = 0;
  let inA = 0;
  let inB = 0;
  for (let i = 0; i < a.voxels.length; i++) {
    const x = a.voxels[i] !== 0;
    const y = b.voxels[i] !== 0;
    inA += x ? 1 : 0;
    inB += y ? 1 : 0;
    both += x && y ? 1 : 0;
  }
  return inA + inB === 0 ? 1 : (2 * both) / (inA + inB);
}
