import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { segment } from '../http-client';
import type { Report } from '../report';
import type { BenchServer } from '../server';
import { summarize, timeRuns } from '../stats';
import { REPO_ROOT } from '../volumes';

/** Stages the pipeline reports; everything else in a request is the server's own work (upload, parse, reply). */
const PIPELINE_STAGES = ['read', 'pre_transforms', 'inference', 'post_transforms', 'writer'];

/** Requests sent before timing, so that the figures are those of a server that has been serving. */
const WARM_UP_REQUESTS = 5;

/**
 * 4. The whole segmentation pipeline through the CLI and through HTTP, per stage. "Server overhead" is everything but
 * the model run (upload, read, transforms, writer, reply), as a share of the request: goal ≤ 10%; the HTTP share
 * (what the pipeline stages do not account for) is reported beside it.
 */

export async function benchHttpPipeline(
  report: Report,
  server: BenchServer,
  model: string,
  file: string,
  runs: number,
): Promise<void> {
  report.section(`4. Segmentation pipeline (${model} on ${path.basename(file)}) through the CLI and HTTP`);
  const out = mkdtempSync(path.join(os.tmpdir(), 'aiaa-bench-cli-'));
  try {
    const cli = await timeRuns(
      runs,
      () => {
        const result = spawnSync(
          process.execPath,
          [
            '-r',
            '@swc-node/register',
            path.join(REPO_ROOT, 'tools/src/infer.ts'),
            '--model',
            path.join(REPO_ROOT, 'workspace/models', model, '1'),
            '--image',
            file,
            '--output',
            path.join(out, 'result.nii.gz'),
          ],
          {
            cwd: REPO_ROOT,
            stdio: ['ignore', 'ignore', 'pipe'],
            timeout: 300_000,
            env: { ...process.env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.base.json') },
          },
        );
        if (result.status !== 0) {
          throw new Error(`infer CLI failed (${result.status}): ${result.stderr.toString().slice(-1000)}`);
        }
      },
      0,
    );
    report.add({
      section: '4',
      name: 'CLI infer, whole process (start-up + transpile included)',
      value: cli.medianMs,
      unit: 'ms',
      timing: cli,
    });
  } catch (error) {
    report.note(`CLI figure skipped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }

  // Warm-up: the first requests pay lazy initialisation and run the kernels before the JIT has optimised them (the
  // windowing step of this model took 137, 65, 73 then ~25 ms on its first runs); a serving server is past that.
  for (let warm = 0; warm < WARM_UP_REQUESTS; warm++) {
    await segment(server.baseUrl, model, file);
  }
  const samples = [];
  for (let run = 0; run < runs; run++) {
    samples.push(await segment(server.baseUrl, model, file));
  }
  const total = summarize(samples.map((s) => s.totalMs));
  report.add({
    section: '4',
    name: 'HTTP /v1/segmentation, client-side total',
    value: total.medianMs,
    unit: 'ms',
    timing: total,
  });
  const stageNames = [...new Set(samples.flatMap((s) => Object.keys(s.stagesMs)))];
  for (const stage of stageNames) {
    const timing = summarize(samples.map((s) => s.stagesMs[stage] ?? NaN));
    report.add({ section: '4', name: `  stage ${stage}`, value: timing.medianMs, unit: 'ms', timing });
  }
  // the definition: server overhead is everything but the model run, as a share of the request
  const nonModel = summarize(samples.map((s) => (100 * (s.totalMs - (s.stagesMs['inference'] ?? 0))) / s.totalMs));
  report.add({
    section: '4',
    name: 'server overhead (everything but the model run) share',
    value: nonModel.medianMs,
    unit: '%',
    goal: '≤ 10%',
    met: nonModel.medianMs <= 10,
  });
  // what HTTP itself adds over the CLI's pipeline: upload to disk, routing, the multipart reply
  const httpShare = summarize(
    samples.map((s) => {
      const pipeline = PIPELINE_STAGES.reduce((sum, stage) => sum + (s.stagesMs[stage] ?? 0), 0);
      return (100 * (s.totalMs - pipeline)) / s.totalMs;
    }),
  );
  report.add({
    section: '4',
    name: 'HTTP share (request − read and pipeline stages)',
    value: httpShare.medianMs,
    unit: '%',
  });
}
