import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { segment } from '../http-client';
import type { Report } from '../report';
import { BenchServer, IDLE_SETTLE_MS, afterIdleCollection } from '../server';
import { type Timing, summarize } from '../stats';
import { REPO_ROOT } from '../volumes';

/** The trained brain MRI models of workspace/models, and the 256³ T1 of samples/ they were published with. */
const BRAIN_MODELS = ['brain_mri_meshnet_gwm', 'brain_mri_skullstrip_mindgrab', 'brain_mri_subcortical_18cls'];
const T1 = path.join(REPO_ROOT, 'samples/mri_t1_conformed_256.nii.gz');
/** The quick model: 3–8 s a run on two cores, where the other two take about a minute and several GB. */
const QUICK_MODEL = 'brain_mri_meshnet_gwm';

const MB = 1024 * 1024;

/**
 * 8. The trained brain MRI models on the 256³ T1, each run on the whole volume: the CLI (`npm run infer`, the whole
 * process, start-up included) and one HTTP `/v1/segmentation` to the real server, each with its time and its peak
 * RSS (the CLI process's; the server's during the request, beside its idle RSS). MeshNet runs `runs` times (at most
 * 3), the two slow models once each; `--quick` runs MeshNet only.
 */
export async function benchBrainModels(report: Report, options: { runs: number; quick: boolean }): Promise<void> {
  report.section(`8. Brain MRI models on ${path.basename(T1)} (256³, whole volume), CLI and HTTP`);
  const models = options.quick ? [QUICK_MODEL] : BRAIN_MODELS;
  const runsOf = (model: string): number => (model === QUICK_MODEL ? Math.max(1, Math.min(options.runs, 3)) : 1);
  for (const model of models) {
    try {
      benchCli(report, model, runsOf(model));
    } catch (error) {
      report.note(`${model} CLI figure skipped: ${describe(error)}`);
    }
  }
  const server = await BenchServer.start(models);
  try {
    for (const model of models) {
      try {
        await benchHttp(report, server, model, runsOf(model));
      } catch (error) {
        // fetch gives up on a reply that takes over 300 s (a loaded machine): say so and go on with the next model.
        report.note(`${model} HTTP figure skipped: ${describe(error)}`);
      }
    }
  } finally {
    await server.stop();
  }
}

/** `npm run infer` on the T1 as a child process, timed from spawn to exit, its peak RSS printed by a preload. */
function benchCli(report: Report, model: string, runs: number): void {
  const out = mkdtempSync(path.join(os.tmpdir(), 'aiaa-bench-brain-'));
  const samples: number[] = [];
  let peakRssBytes = 0;
  try {
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const result = spawnSync(
        process.execPath,
        [
          '-r',
          '@swc-node/register',
          '-r',
          path.join(__dirname, '..', 'peak-rss-at-exit.js'),
          path.join(REPO_ROOT, 'tools/src/infer.ts'),
          ...['--model', path.join(REPO_ROOT, 'workspace/models', model), '--image', T1],
          ...['--output', path.join(out, 'result.nii.gz')],
        ],
        {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'ignore', 'pipe'],
          timeout: 900_000,
          env: { ...process.env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.base.json') },
        },
      );
      samples.push(performance.now() - started);
      const stderr = result.stderr.toString();
      if (result.status !== 0) {
        throw new Error(`infer exited with ${String(result.status ?? result.signal)}: ${stderr.slice(-1000)}`);
      }
      const peak = /peak-rss-bytes (\d+)/.exec(stderr)?.[1];
      peakRssBytes = Math.max(peakRssBytes, Number(peak ?? NaN));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const timing = summarize(samples);
  report.add({ section: '8', name: `${model}: CLI infer, whole process`, value: timing.medianMs, unit: 'ms', timing });
  report.add({ section: '8', name: `${model}: CLI peak RSS`, value: peakRssBytes / MB, unit: 'MB' });
}

/**
 * `/v1/segmentation` of the T1, with the server's RSS before the first request, its peak during each request and its
 * RSS once idle after the last (memory the runs kept), from its probe; the goal: back within 10% of the level before.
 */
async function benchHttp(report: Report, server: BenchServer, model: string, runs: number): Promise<void> {
  const totals: number[] = [];
  const inference: number[] = [];
  const rssBeforeBytes = await currentRss(server);
  let peakRssBytes = 0;
  for (let run = 0; run < runs; run++) {
    await server.probe('reset');
    const timing = await segment(server.baseUrl, model, T1);
    peakRssBytes = Math.max(peakRssBytes, (await server.probe('report')).peakRssBytes);
    totals.push(timing.totalMs);
    inference.push(timing.stagesMs['inference'] ?? NaN);
  }
  await afterIdleCollection();
  const rssAfterBytes = await currentRss(server);
  const total = summarize(totals);
  const stage = summarize(inference);
  const add = (name: string, value: number, unit: string, timing?: Timing): void =>
    report.add({ section: '8', name: `${model}: ${name}`, value, unit, ...(timing ? { timing } : {}) });
  add('HTTP /v1/segmentation', total.medianMs, 'ms', total);
  add('  stage inference', stage.medianMs, 'ms', stage);
  add('server RSS before the first request', rssBeforeBytes / MB, 'MB');
  add('server peak RSS during a request', peakRssBytes / MB, 'MB');
  add(`server RSS ${IDLE_SETTLE_MS / 1000} s after the last request`, rssAfterBytes / MB, 'MB');
  const kept = (100 * (rssAfterBytes - rssBeforeBytes)) / rssBeforeBytes;
  report.add({
    section: '8',
    name: `${model}: RSS kept after ${runs} request(s) / RSS before`,
    value: kept,
    unit: '%',
    goal: '≤ 10%',
    met: kept <= 10,
  });
}

/** The server's RSS now: right after a reset the peak watermark is the current RSS. */
async function currentRss(server: BenchServer): Promise<number> {
  await server.probe('reset');
  return (await server.probe('report')).peakRssBytes;
}

/** An error's message, with its cause's (fetch reports a timeout as "fetch failed" caused by the timeout). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
