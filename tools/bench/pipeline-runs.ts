import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './volumes';

/** One whole-process run of a segmentation pipeline: wall time, stages as the process timed them, peak memory. */
export interface PipelineRun {
  /** Process start to exit, as the bench saw it. */
  wallMs: number;
  stagesMs: Record<string, number>;
  peakRssBytes: number;
  /** What else the run printed (window count, foreground voxels…). */
  details: Record<string, unknown>;
}

/** The arguments both pipelines take from the model's config_aiaa.json. */
export interface PipelineArgs {
  spacingMm: readonly number[];
  aMin: number;
  aMax: number;
  roi: number;
  overlap: number;
  batchSize: number;
}

const TORCH_MODULES = 'import torch, nibabel, scipy.ndimage';

/**
 * Debian's python3 with python3-torch, python3-nibabel and python3-scipy (`/usr/bin/python3`, which is not
 * necessarily the first python3 on PATH), else another python3 that has them; or why there is none.
 */
export function findTorchPython(): { python: string } | { missing: string } {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const check = spawnSync(python, ['-c', TORCH_MODULES], { stdio: 'ignore', timeout: 60_000 });
    if (check.status === 0) {
      return { python };
    }
  }
  return {
    missing:
      'no python3 imports torch, nibabel and scipy (`apt-get install python3-torch python3-nibabel python3-scipy`): the Python side is skipped',
  };
}

/** This environment without the glibc tunables our launcher sets for Node: Python runs as its users run it. */
function pythonEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['GLIBC_TUNABLES'];
  return env;
}

/** Runs tools/bench/python-pipeline.py once (torch on `threads` threads). */
export async function runPythonPipeline(
  python: string,
  modelFile: string,
  input: string,
  output: string,
  args: PipelineArgs,
  threads: number,
): Promise<PipelineRun> {
  const { stdout, wallMs } = await timedChild(
    python,
    [
      path.join(__dirname, 'python-pipeline.py'),
      modelFile,
      input,
      output,
      ...args.spacingMm.map(String),
      String(args.aMin),
      String(args.aMax),
      String(args.roi),
      String(args.overlap),
      String(args.batchSize),
      String(threads),
    ],
    pythonEnv(),
  );
  const result = JSON.parse(stdout) as { stagesMs: Record<string, number>; peakRssBytes: number };
  const { stagesMs, peakRssBytes, ...details } = result;
  return { wallMs, stagesMs, peakRssBytes, details };
}

/**
 * Runs `npm run infer`'s entry point once, as the npm script does (SWC loader, this process's environment), and reads
 * its stage table and its peak RSS (printed at exit by peak-rss-at-exit.js).
 */
export async function runInferCli(modelDir: string, input: string, output: string): Promise<PipelineRun> {
  const { stderr, wallMs } = await timedChild(process.execPath, [
    '-r',
    '@swc-node/register',
    '-r',
    path.join(__dirname, 'peak-rss-at-exit.js'),
    path.join(REPO_ROOT, 'tools/src/infer.ts'),
    '--model',
    modelDir,
    '--image',
    input,
    '--output',
    output,
  ]);
  const stagesMs: Record<string, number> = {};
  let peakRssBytes = NaN;
  for (const line of stderr.split('\n')) {
    // "pre_transforms[2]  ScaleByResolution  189.8 ms", "inference  3422.6 ms", "read x.nii.gz […] in 40.1 ms"
    const row = /^(\S+)\s+(?:(\w+)\s+)?([\d.]+) ms$/.exec(line);
    const read = /^read .* in ([\d.]+) ms$/.exec(line);
    const loaded = /^loaded .* in ([\d.]+) ms$/.exec(line);
    const peak = /^peak-rss-bytes (\d+)$/.exec(line);
    if (row) {
      stagesMs[row[2] ?? row[1] ?? ''] = Number(row[3]);
    } else if (read) {
      stagesMs['read'] = Number(read[1]);
    } else if (loaded) {
      stagesMs['load_model'] = Number(loaded[1]);
    } else if (peak) {
      peakRssBytes = Number(peak[1]);
    }
  }
  return { wallMs, stagesMs, peakRssBytes, details: {} };
}

async function timedChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stdout: string; stderr: string; wallMs: number }> {
  const start = performance.now();
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.base.json') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // bounded: a pipeline that hangs is killed after 10 minutes
  const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  const wallMs = performance.now() - start;
  if (code !== 0) {
    throw new Error(
      `${path.basename(command)} ${path.basename(args.find((a) => /\.(py|ts)$/.test(a)) ?? '')} exited with ${code}: ${stderr.slice(-1500)}`,
    );
  }
  return { stdout, stderr, wallMs };
}
