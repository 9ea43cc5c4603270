import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readNifti } from '@aiaa/core';
import { windowGrid } from '@aiaa/inference';
import { segment, type SegmentationTiming } from '../http-client';
import { type PipelineArgs, type PipelineRun, findTorchPython, runInferCli, runPythonPipeline } from '../pipeline-runs';
import type { Report } from '../report';
import { BenchServer, IDLE_SETTLE_MS, afterIdleCollection } from '../server';
import { summarize } from '../stats';
import { REPO_ROOT } from '../volumes';
import { diceOfMasks, printSideBySide, type StageRow } from './side-by-side-table';

/** The committed model folder: the ONNX export of the PyTorch network and its config_aiaa.json. */
const MODEL_DIR = path.join(REPO_ROOT, 'tools', 'bench', 'models', 'conv3d_spleen_window');
/** The same scan as ../shared/data/spleen_8_ct.nii.gz (identical bytes), committed so this section always runs. */
const CT_FILE = path.join(REPO_ROOT, 'samples', 'spleen_8_ct.nii.gz');
/** torch's threads: the machine's cores, as onnxruntime's default intra-op pool. */
const TORCH_THREADS = os.cpus().length;
const WARM_UP_REQUESTS = 3;

/**
 * 9. The same segmentation in the Python stack (nibabel, scipy.ndimage, torch) and here (`npm run infer` and a warm
 * `/v1/segmentation`): same network weights (the ONNX file; the Python side rebuilds the network from its
 * initializers), same CT, same windows (MONAI's constant-mode sliding window), stage by stage, with the ratios and the
 * memory of a request.
 */
export async function benchPythonSideBySide(report: Report, runs: number): Promise<void> {
  report.section('9. Side by side with the Python stack: CT → 1.5×1.5×2 mm → [0,1] → Conv3d 64³ windows → argmax');
  const args = pipelineArgs();
  const rawBytes = (await readNifti(CT_FILE)).voxels.byteLength;
  const out = mkdtempSync(path.join(os.tmpdir(), 'aiaa-bench-sbs-'));
  try {
    const found = findTorchPython();
    const python: PipelineRun[] = [];
    if ('missing' in found) {
      report.note(found.missing);
    } else {
      for (let run = 0; run < runs; run++) {
        const file = path.join(MODEL_DIR, 'model.onnx');
        python.push(
          await runPythonPipeline(found.python, file, CT_FILE, path.join(out, 'python.nii.gz'), args, TORCH_THREADS),
        );
      }
    }
    const cli: PipelineRun[] = [];
    for (let run = 0; run < runs; run++) {
      cli.push(await runInferCli(MODEL_DIR, CT_FILE, path.join(out, 'cli.nii.gz')));
    }
    const http = await httpRuns(MODEL_DIR, CT_FILE, runs);

    const rows = stageRows(python, cli, http.requests);
    printSideBySide(rows, python.length > 0);
    const peak = (list: PipelineRun[]) => summarize(list.map((r) => r.peakRssBytes)).medianMs;
    console.log(
      `  ${'peak RSS (MB; HTTP: added by a request)'.padEnd(42)}${mb(peak(python)).padStart(11)}${mb(peak(cli)).padStart(11)}${mb(summarize(http.addedPeakBytes).maxMs).padStart(11)}`,
    );
    // the table above is the printout; results.json gets its cells
    for (const row of rows) {
      report.figures.push({ section: '9', name: row.stage, value: row.cliMs, unit: 'ms', note: JSON.stringify(row) });
    }

    const cliWall = summarize(cli.map((r) => r.wallMs)).medianMs;
    const httpTotal = summarize(http.requests.map((r) => r.totalMs)).medianMs;
    const httpModel = summarize(http.requests.map((r) => r.stagesMs['inference'] ?? NaN)).medianMs;
    if (python.length > 0) {
      const pyWall = summarize(python.map((r) => r.wallMs)).medianMs;
      const pyPipeline = summarize(python.map(pipelineMsOfPython)).medianMs;
      const pyModel = summarize(python.map((r) => r.stagesMs['model'] ?? NaN)).medianMs;
      goal(report, 'whole process: Python / CLI', pyWall / cliWall, '×', '≥ 2.5×', (v) => v >= 2.5);
      goal(report, 'warm HTTP request: Python pipeline / request', pyPipeline / httpTotal, '×', '≥ 2×', (v) => v >= 2);
      goal(
        report,
        'model stage: ours (warm request) / torch, same windows',
        httpModel / pyModel,
        '×',
        '≤ 0.8×',
        (v) => v <= 0.8,
      );
      const cliModel = summarize(cli.map((r) => r.stagesMs['NativeInference'] ?? NaN)).medianMs;
      report.add({
        section: '9',
        name: 'model stage: ours (CLI, first run) / torch',
        value: cliModel / pyModel,
        unit: '×',
      });
      const dice = diceOfMasks(
        await readNifti(path.join(out, 'python.nii.gz')),
        await readNifti(path.join(out, 'cli.nii.gz')),
      );
      goal(report, 'Dice of the Python and our masks', dice, '', '≥ 0.99', (v) => v >= 0.99);
      const grid = (python[0]?.details['resampledShape'] as number[] | undefined) ?? [];
      // Python's grid is [x, y, z]; ours lists it [z, y, x]
      const ours = windowGrid([...grid].reverse(), [args.roi, args.roi, args.roi], args.overlap).starts.length;
      report.note(
        `windows per run on the ${grid.join('×')} grid: Python ${String(python[0]?.details['windows'])}, ours ${ours}`,
      );
      // the request's own images on the model grid: the float32 input and the 2-channel float32 output
      const floorBytes = grid.reduce((n, s) => n * s, 1) * 4 * 3;
      report.add({
        section: '9',
        name: 'floor of a request: model-grid input + 2-channel output / raw volume',
        value: floorBytes / rawBytes,
        unit: '×',
      });
    }
    const overhead = summarize(
      http.requests.map((r) => (100 * (r.totalMs - (r.stagesMs['inference'] ?? 0))) / r.totalMs),
    );
    goal(report, 'server overhead (all but the model run) share', overhead.medianMs, '%', '≤ 10%', (v) => v <= 10);
    const added = summarize(http.addedPeakBytes).maxMs;
    goal(
      report,
      `peak RSS added by one request / raw volume (${mb(rawBytes)} MB)`,
      added / rawBytes,
      '×',
      '≤ 3×',
      (v) => v <= 3,
    );
    const back = (http.afterTwoBytes - http.idleBytes) / http.idleBytes;
    goal(
      report,
      `RSS ${IDLE_SETTLE_MS / 1000} s after two requests vs idle, sessions loaded (${mb(http.afterTwoBytes)} / ${mb(http.idleBytes)} MB)`,
      100 * back,
      '%',
      '≤ 10%',
      (v) => v <= 10,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

interface HttpRuns {
  requests: SegmentationTiming[];
  /** Peak RSS over the idle level, per timed request. */
  addedPeakBytes: number[];
  /** RSS once the model is loaded, before any request. */
  idleBytes: number;
  /** RSS {@link IDLE_SETTLE_MS} after the first two requests. */
  afterTwoBytes: number;
}

async function httpRuns(modelDir: string, file: string, runs: number): Promise<HttpRuns> {
  const model = path.basename(modelDir);
  const server = await BenchServer.start([modelDir]);
  try {
    const idleBytes = (await server.probe('report')).rssBytes;
    await segment(server.baseUrl, model, file);
    await segment(server.baseUrl, model, file);
    await afterIdleCollection();
    const afterTwoBytes = (await server.probe('report')).rssBytes;
    for (let warm = 0; warm < WARM_UP_REQUESTS; warm++) {
      await segment(server.baseUrl, model, file);
    }
    const requests: SegmentationTiming[] = [];
    const addedPeakBytes: number[] = [];
    for (let run = 0; run < runs; run++) {
      // once the last request's memory has gone (else the request reuses it and its peak hides in the level before)
      await afterIdleCollection();
      await server.probe('reset');
      // right after the reset the watermark is the current RSS: the level the request adds to
      const before = (await server.probe('report')).peakRssBytes;
      requests.push(await segment(server.baseUrl, model, file));
      addedPeakBytes.push((await server.probe('report')).peakRssBytes - before);
    }
    return { requests, addedPeakBytes, idleBytes, afterTwoBytes };
  } finally {
    await server.stop();
  }
}

function pipelineArgs(): PipelineArgs {
  const config = JSON.parse(readFileSync(path.join(MODEL_DIR, 'config_aiaa.json'), 'utf8')) as {
    pre_transforms: { name: string; args: Record<string, unknown> }[];
    inference: { roi: number[]; overlap: number; batch_size: number };
  };
  const argsOf = (name: string) => config.pre_transforms.find((t) => t.name === name)?.args ?? {};
  const window = argsOf('ScaleIntensityRange');
  return {
    spacingMm: argsOf('ScaleByResolution')['target_resolution'] as number[],
    aMin: window['a_min'] as number,
    aMax: window['a_max'] as number,
    roi: config.inference.roi[0] as number,
    overlap: config.inference.overlap,
    batchSize: config.inference.batch_size,
  };
}

/** The Python run without interpreter start, imports and building the network: what a warm Python server would do. */
function pipelineMsOfPython(run: PipelineRun): number {
  const s = run.stagesMs;
  return (s['total'] ?? NaN) - (s['imports'] ?? 0) - (s['build_network'] ?? 0);
}

function stageRows(python: PipelineRun[], cli: PipelineRun[], http: SegmentationTiming[]): StageRow[] {
  const med = (values: number[]) => summarize(values).medianMs;
  const py = (...stages: string[]) => med(python.map((r) => stages.reduce((t, s) => t + (r.stagesMs[s] ?? NaN), 0)));
  const ours = (...stages: string[]) => med(cli.map((r) => stages.reduce((t, s) => t + (r.stagesMs[s] ?? 0), 0)));
  const web = (stage: string) => med(http.map((r) => r.stagesMs[stage] ?? NaN));
  const pyStartUp = med(
    python.map(
      (r) =>
        r.wallMs - (r.stagesMs['total'] ?? NaN) + (r.stagesMs['imports'] ?? NaN) + (r.stagesMs['build_network'] ?? NaN),
    ),
  );
  const cliStartUp = med(cli.map((r) => r.wallMs - (r.stagesMs['read'] ?? 0) - (r.stagesMs['total'] ?? NaN)));
  return [
    { stage: 'start-up (runtime, imports, model load)', pythonMs: pyStartUp, cliMs: cliStartUp, httpMs: NaN },
    { stage: 'read NIfTI', pythonMs: py('load', 'read'), cliMs: ours('read', 'LoadNifti'), httpMs: web('read') },
    { stage: 'resample to 1.5×1.5×2 mm', pythonMs: py('resample'), cliMs: ours('ScaleByResolution'), httpMs: NaN },
    {
      stage: 'window to [0, 1]',
      pythonMs: py('window'),
      cliMs: ours('ConvertToChannelsFirst', 'ScaleIntensityRange'),
      httpMs: NaN,
    },
    {
      stage: 'model (sliding window)',
      pythonMs: py('model'),
      cliMs: ours('NativeInference'),
      httpMs: web('inference'),
    },
    { stage: 'argmax', pythonMs: py('argmax'), cliMs: ours('ArgmaxAcrossChannels'), httpMs: NaN },
    { stage: 'restore to the input grid', pythonMs: py('restore'), cliMs: ours('RestoreOriginalShape'), httpMs: NaN },
    { stage: 'write NIfTI', pythonMs: py('write'), cliMs: ours('WriteNifti'), httpMs: web('writer') },
    {
      stage: 'pipeline (all but start-up)',
      pythonMs: med(python.map(pipelineMsOfPython)),
      cliMs: ours('read', 'total'),
      httpMs: med(http.map((r) => r.totalMs)),
    },
    {
      stage: 'whole process',
      pythonMs: med(python.map((r) => r.wallMs)),
      cliMs: med(cli.map((r) => r.wallMs)),
      httpMs: NaN,
    },
  ];
}

function goal(
  report: Report,
  name: string,
  value: number,
  unit: string,
  text: string,
  met: (v: number) => boolean,
): void {
  report.add({ section: '9', name, value, unit, goal: text, met: met(value) });
}

function mb(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / 1e6).toFixed(0) : '—';
}
