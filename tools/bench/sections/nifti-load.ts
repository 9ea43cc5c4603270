import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { readNifti } from '@aiaa/core';
import type { Report } from '../report';
import { timeRuns } from '../stats';

/** 1. `.nii.gz` load against `gzip -dc FILE > /dev/null` on the same file: zlib inflate is the floor. */
export async function benchNiftiLoad(report: Report, files: readonly string[], runs: number): Promise<void> {
  report.section('1. NIfTI load vs gzip -dc (goal ≤ 1.2×)');
  for (const file of files) {
    const name = path.basename(file);
    const floor = await timeRuns(runs, () => execFileSync('sh', ['-c', 'gzip -dc "$0" > /dev/null', file]));
    const load = await timeRuns(runs, () => readNifti(file));
    const ratio = load.medianMs / floor.medianMs;
    const mb = statSync(file).size / 1e6;
    report.add({
      section: 'nifti-load',
      name: `gzip -dc ${name} (${mb.toFixed(1)} MB gz)`,
      value: floor.medianMs,
      unit: 'ms',
      timing: floor,
    });
    report.add({ section: 'nifti-load', name: `readNifti ${name}`, value: load.medianMs, unit: 'ms', timing: load });
    report.add({
      section: 'nifti-load',
      name: `readNifti / gzip -dc, ${name}`,
      value: ratio,
      unit: '×',
      goal: '≤ 1.2×',
      met: ratio <= 1.2,
    });
  }
}
