import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CATALOGUE, MedicalImage, TransformContext, TransformRegistry } from '@aiaa/core';
import type { Report } from '../report';
import { type Timing, timeRuns } from '../stats';

const registry = new TransformRegistry(CATALOGUE);
const TARGET_MM = 1.5;

/** The first python3 that imports scipy; tries Debian's python3-scipy through apt when none does. */
function findScipyPython(report: Report): string | undefined {
  const candidates = ['python3', '/usr/bin/python3'];
  const hasScipy = (python: string) =>
    spawnSync(python, ['-c', 'import numpy, scipy.ndimage'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  const found = candidates.find(hasScipy);
  if (found) {
    return found;
  }
  const apt = spawnSync('apt-get', ['install', '-y', '-q', 'python3-scipy'], { stdio: 'ignore', timeout: 300_000 });
  if (apt.status === 0 && hasScipy('/usr/bin/python3')) {
    return '/usr/bin/python3';
  }
  report.note('no python3 with numpy+scipy (and apt-get could not install python3-scipy): Python comparison skipped');
  return undefined;
}

async function runStep(
  name: string,
  args: Record<string, unknown>,
  key: string,
  image: MedicalImage,
): Promise<MedicalImage> {
  const ctx = new TransformContext({ images: [[key, image]] });
  await registry.build({ name, args }, `bench ${name}`).apply(ctx);
  return ctx.getImage(key);
}

/** 3. ScaleByResolution to 1.5 mm and back, and KeepLargestCC, against numpy/scipy (goal ≥ 1.5× faster). */
export async function benchResampleAndCc(report: Report, ct: MedicalImage<Int16Array>, runs: number): Promise<void> {
  report.section(`3. Resampling to ${TARGET_MM} mm and back, KeepLargestCC (goal ≥ 1.5× faster than scipy)`);
  const spacing = ct.spacingMm;
  const channelFirst = new MedicalImage({ ...ct, shape: [1, ...ct.shape], shapeFormat: 'CDHW' });
  const resample = await timeRuns(runs, async () => {
    const small = await runStep(
      'ScaleByResolution',
      { fields: 'image', target_resolution: [TARGET_MM, TARGET_MM, TARGET_MM] },
      'image',
      channelFirst,
    );
    await runStep('ScaleByResolution', { fields: 'image', target_resolution: [...spacing] }, 'image', small);
  });
  const mask = new Uint8Array(ct.voxels.length);
  for (let i = 0; i < mask.length; i++) {
    mask[i] = (ct.voxels[i] ?? 0) > 100 ? 1 : 0;
  }
  const label = new MedicalImage({ ...ct, voxels: mask });
  const largestCc = await timeRuns(runs, () => runStep('KeepLargestCC', { fields: 'model' }, 'model', label));
  report.add({
    section: 'resample',
    name: 'ScaleByResolution round trip (linear)',
    value: resample.medianMs,
    unit: 'ms',
    timing: resample,
  });
  report.add({
    section: 'resample',
    name: 'KeepLargestCC (threshold > 100 HU)',
    value: largestCc.medianMs,
    unit: 'ms',
    timing: largestCc,
  });

  const python = findScipyPython(report);
  if (!python) {
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aiaa-bench-py-'));
  try {
    const raw = path.join(dir, 'volume.i16');
    writeFileSync(raw, new Uint8Array(ct.voxels.buffer, ct.voxels.byteOffset, ct.voxels.byteLength));
    const [d, h, w] = ct.spatialShape;
    const out = execFileSync(
      python,
      [
        path.join(__dirname, '..', 'python-baseline.py'),
        raw,
        String(d),
        String(h),
        String(w),
        ...spacing.map(String),
        String(TARGET_MM),
        String(runs),
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20, timeout: 600_000 },
    );
    const py = JSON.parse(out) as { resample: Timing; largestCc: Timing };
    compare(report, 'scipy.ndimage.zoom round trip', py.resample, resample);
    compare(report, 'scipy.ndimage.label + largest', py.largestCc, largestCc);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compare(report: Report, name: string, python: Timing, ours: Timing): void {
  const speedup = python.medianMs / ours.medianMs;
  report.add({ section: 'resample', name, value: python.medianMs, unit: 'ms', timing: python });
  report.add({
    section: 'resample',
    name: `speed-up vs ${name}`,
    value: speedup,
    unit: '×',
    goal: '≥ 1.5×',
    met: speedup >= 1.5,
  });
}
