// `npm run bench`: the figures of the benchmark issue, printed as a table and written to bench/results.json.
// Options: --quick (a 256×256×150 synthetic volume, 3 runs), --runs N, --only 1,2,3 (section numbers).
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readNifti, type MedicalImage } from '@aiaa/core';
import { Report } from './report';
import { BenchServer } from './server';
import { benchNiftiLoad } from './sections/nifti-load';
import { benchConcurrency } from './sections/concurrency';
import { benchHttpPipeline } from './sections/http-pipeline';
import { benchNativeVsTriton } from './sections/native-vs-triton';
import { benchPythonSideBySide } from './sections/python-side-by-side';
import { benchResampleAndCc } from './sections/resample-cc';
import { benchVoxelTransforms } from './sections/voxel-transforms';
import { benchBrainModels } from './sections/brain-models';
import { REPO_ROOT, SYNTHETIC_SHAPE_DHW, sharedCt, syntheticCt } from './volumes';

/** The demo segmentation model the HTTP figures run (built by `npm run demo-models`). */
const DEMO_MODEL = 'spleen_ct_threshold';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const runs = Number(values.runs ?? (values.quick ? 3 : 5));
  const only = new Set((values.only ?? '1,2,3,4,5,6,8,9').split(',').map(Number));
  const shape = values.quick ? [150, 256, 256] : [...SYNTHETIC_SHAPE_DHW];
  const report = new Report();
  console.log(`# aiaa bench — ${os.cpus().length} cores, node ${process.version}, runs ${runs}`);

  const shared = sharedCt();
  if ('missing' in shared) {
    report.note(shared.missing);
  }
  console.log(`building/reusing the synthetic ${shape.join('×')} int16 CT…`);
  const synthetic = await syntheticCt(shape);
  const files = ['file' in shared ? shared.file : undefined, synthetic].filter((f): f is string => f !== undefined);

  if (only.has(1)) {
    await benchNiftiLoad(report, files, runs);
  }
  const ct = (await readNifti(synthetic)) as MedicalImage<Int16Array>;
  if (only.has(2)) {
    await benchVoxelTransforms(report, ct, runs);
  }
  if (only.has(3)) {
    await benchResampleAndCc(report, ct, Math.max(1, Math.min(runs, 3)));
  }
  if (only.has(4) || only.has(5)) {
    // the HTTP figures use the real CT when present (a realistic request), else a small synthetic volume
    const requestFile = 'file' in shared ? shared.file : await syntheticCt([150, 256, 256]);
    const rawBytes = (await readNifti(requestFile)).voxels.byteLength;
    const server = await BenchServer.start([DEMO_MODEL]);
    try {
      if (only.has(4)) {
        await benchHttpPipeline(report, server, DEMO_MODEL, requestFile, runs);
      }
      if (only.has(5)) {
        await benchConcurrency(report, server, DEMO_MODEL, requestFile, rawBytes, {
          clients: [1, 4, 8],
          requestsPerClient: values.quick ? 3 : 6,
          maxSeconds: 90,
        });
      }
    } finally {
      await server.stop();
    }
  }
  if (only.has(6)) {
    const modelFile = path.join(REPO_ROOT, 'workspace', 'models', DEMO_MODEL, '1', 'model.onnx');
    // two 32×256×256 windows: one batch of the demo model's sliding window
    await benchNativeVsTriton(report, modelFile, [2, 1, 32, 256, 256], runs);
  }
  if (only.has(8)) {
    await benchBrainModels(report, { runs, quick: values.quick === true });
  }
  if (only.has(9)) {
    await benchPythonSideBySide(report, Math.min(runs, 3));
  }
  report.write(path.join(REPO_ROOT, 'bench', 'results.json'), {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    syntheticShapeDhw: shape,
    runs,
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
