// `npm run infer -- --model DIR|config.json --image in.nii.gz --output out.nii.gz [--params JSON]`: runs one model's
// whole config_aiaa.json on one volume, without the server, with a progress line per stage and a timing table.
import { copyFile, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  AiaaError,
  CancelledError,
  ConfigError,
  TransformContext,
  describeError,
  readNifti,
  writeNifti,
} from '@aiaa/core';
import {
  type EngineName,
  ModelConfig,
  type ModelPipeline,
  type PipelineResult,
  type PipelineSpec,
  PipelineWorkerError,
  PipelineWorkerPool,
  ModelLoadError,
  resolveModelLabels,
} from '@aiaa/inference';
import { PIPELINE_FACTORY, PluginError, createPipeline } from '@aiaa/plugins-loader';
import { labelVolumes, volumeTable } from './label-volumes';

/** Exit codes: what went wrong, for scripts. */
export const EXIT = { ok: 0, failed: 1, usage: 2, model: 3, input: 4, cancelled: 130 } as const;

const USAGE = `usage: infer --model DIR|config_aiaa.json --image in.nii.gz --output out.nii.gz
             [--params '{"points": [[x, y, z], ...]}'] [--workspace DIR] [--engine AIAA] [--workers N]

Runs the model's pre-transforms, inference, post-transforms and writer on one NIfTI volume and writes the result.
  --model      a model folder (config_aiaa.json and its .onnx file, or the server's version folders 1/, 2/, ...:
               the highest is run) or a config_aiaa.json
  --image      input NIfTI volume (.nii or .nii.gz)
  --output     result file (.nii or .nii.gz)
  --params     request params as JSON (dextr3d "points", deepgrow "foreground"/"background", ...)
  --workspace  folder whose lib/ holds custom inference/transform classes (default: ./workspace)
  --engine     AIAA (in-process onnxruntime, default)
  --workers    run the pipeline in N worker threads (default 0: on the main thread)
Exit codes: 0 done, 1 failed while running, 2 bad arguments, 3 unusable model, 4 unusable input, 130 interrupted.`;

/** A command-line mistake: reported with the usage text, exit code 2. */
class UsageError extends Error {}

interface InferArgs {
  readonly configFile: string;
  readonly modelDir: string;
  /** The model's name: its folder's (the folder above a version folder). */
  readonly modelName: string;
  readonly image: string;
  readonly output: string;
  readonly params: Record<string, unknown>;
  readonly workspace: string;
  readonly engine: EngineName;
  /** Worker threads running the pipeline; 0 runs it on the main thread. */
  readonly workers: number;
}

/** Parses and checks the arguments. @throws UsageError naming the option. */
export async function parseInferArgs(argv: readonly string[], cwd: string): Promise<InferArgs> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        model: { type: 'string' },
        image: { type: 'string' },
        output: { type: 'string' },
        params: { type: 'string' },
        workspace: { type: 'string' },
        engine: { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(describeError(error));
  }
  const required = (name: string): string => {
    const value = values[name];
    if (typeof value !== 'string' || value === '') {
      throw new UsageError(`--${name} is required`);
    }
    return path.resolve(cwd, value);
  };
  const model = required('model');
  const image = required('image');
  const output = required('output');
  if (!/\.nii(\.gz)?$/.test(output)) {
    throw new UsageError(`--output must end with .nii or .nii.gz, got ${path.basename(output)}`);
  }
  let params: unknown = {};
  if (typeof values['params'] === 'string') {
    try {
      params = JSON.parse(values['params']);
    } catch (error) {
      throw new UsageError(`--params is not JSON: ${describeError(error)}`);
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new UsageError('--params must be a JSON object');
    }
  }
  const engine = values['engine'] ?? 'AIAA';
  if (engine !== 'AIAA') {
    throw new UsageError(`--engine ${String(engine)} is not run by this tool (only AIAA, in-process onnxruntime)`);
  }
  const workersText = typeof values['workers'] === 'string' ? values['workers'] : '0';
  const workers = Number(workersText);
  if (!/^\d+$/.test(workersText) || workers > 64) {
    throw new UsageError(`--workers must be an integer from 0 to 64, got ${workersText}`);
  }
  const modelStat = await stat(model).catch(() => undefined);
  if (!modelStat) {
    throw new UsageError(`--model ${model} does not exist`);
  }
  const modelDir = modelStat.isDirectory() ? await versionFolderOf(model) : path.dirname(model);
  const configFile = modelStat.isDirectory() ? path.join(modelDir, 'config_aiaa.json') : model;
  return {
    configFile,
    modelDir,
    modelName: path.basename(modelDir === model ? model : path.dirname(modelDir)),
    image,
    output,
    params: params as Record<string, unknown>,
    workspace: path.resolve(cwd, typeof values['workspace'] === 'string' ? values['workspace'] : 'workspace'),
    engine,
    workers,
  };
}

/**
 * The folder holding a model's config: the folder itself, or in the server's layout (`models/<name>/1/`, `2/`, …)
 * its highest version folder.
 */
async function versionFolderOf(dir: string): Promise<string> {
  const entries = await readdir(dir);
  if (entries.includes('config_aiaa.json')) {
    return dir;
  }
  const versions = entries.filter((e) => /^[1-9][0-9]*$/.test(e)).map(Number);
  return versions.length > 0 ? path.join(dir, String(Math.max(...versions))) : dir;
}

/** The model file of a model folder: the config's own `path`, else `model.onnx`, else the folder's only `.onnx`. */
async function findModelFile(json: unknown, modelDir: string): Promise<string | undefined> {
  const own = (json as { path?: unknown }).path;
  if (typeof own === 'string') {
    return path.resolve(modelDir, own);
  }
  const onnx = (await readdir(modelDir)).filter((f) => f.endsWith('.onnx'));
  if (onnx.includes('model.onnx')) {
    return path.join(modelDir, 'model.onnx');
  }
  return onnx.length === 1 ? path.join(modelDir, onnx[0] as string) : undefined;
}

/** What runs the model: the pipeline itself, or a pool of worker threads that each built one. */
type Runner = Pick<ModelPipeline, 'run' | 'close'>;

/** Reads the config and finds the model file: the plain data a pipeline is built from. */
export async function readModelSpec(args: InferArgs): Promise<PipelineSpec> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(args.configFile, 'utf8'));
  } catch (error) {
    throw new ConfigError('', `${args.configFile}: ${describeError(error)}`);
  }
  const modelPath = await findModelFile(json, args.modelDir);
  return {
    modelName: args.modelName,
    configJson: json,
    modelDir: args.modelDir,
    workspaceDir: args.workspace,
    engine: args.engine,
    ...(modelPath ? { modelPath } : {}),
  };
}

/** Options of {@link infer}. */
export interface InferOptions {
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /** Node options of `--workers` threads (default: this process's, which carry the TypeScript loader hook). */
  readonly workerExecArgv?: readonly string[];
  readonly workerEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs the model on the image and writes `args.output`: the writer's file when the config has a writer (asked for in
 * the output's extension), else the inference output image.
 */
export async function infer(args: InferArgs, options: InferOptions = {}): Promise<PipelineResult> {
  const log = options.log ?? (() => undefined);
  const spec = await readModelSpec(args);
  const config = ModelConfig.parse(spec.configJson, { engine: spec.engine, name: spec.modelName });
  const t0 = performance.now();
  const runner: Runner =
    args.workers > 0
      ? await PipelineWorkerPool.create({
          spec,
          factory: PIPELINE_FACTORY,
          workers: args.workers,
          ...(options.workerExecArgv ? { execArgv: options.workerExecArgv } : {}),
          ...(options.workerEnv ? { env: options.workerEnv } : {}),
        })
      : await createPipeline(spec);
  log(
    `loaded ${spec.modelName}${args.workers > 0 ? ` in ${args.workers} worker(s)` : ''} in ${ms(performance.now() - t0)}`,
  );
  const outputDir = await mkdtemp(path.join(tmpdir(), 'aiaa-infer-'));
  try {
    const t1 = performance.now();
    const image = await readNifti(args.image, options.signal ? { signal: options.signal } : {});
    log(`read ${path.basename(args.image)} [${image.shape.join('×')}] ${image.dtype} in ${ms(performance.now() - t1)}`);
    const params = { result_extension: args.output.endsWith('.gz') ? '.nii.gz' : '.nii', ...args.params };
    const ctx = new TransformContext({ params, images: [['image', image]], signal: options.signal, outputDir });
    ctx.setProperty('image_path', args.image);
    const result = await runner.run(ctx, {
      ...(options.signal ? { signal: options.signal } : {}),
      onStage: (stage, index, total) => log(`[${index + 1}/${total}] ${stage.path} ${stage.name}`),
    });
    const written = result.ctx.writerOutput?.file;
    if (written) {
      await copyFile(written, args.output);
    } else {
      await writeNifti(args.output, result.ctx.getImage(config.getInferenceOutput()));
    }
    return result;
  } finally {
    await rm(outputDir, { recursive: true, force: true });
    await runner.close();
  }
}

/** The per-stage timing table printed after a run. */
export function timingTable(result: PipelineResult): string {
  const rows = result.stages.map((s) => [s.path, s.name, ms(s.ms)]);
  const t = result.timingsMs;
  rows.push(
    ['', '', ''],
    ['pre_transforms', '', ms(t.pre_transforms)],
    ['inference', '', ms(t.inference)],
    ['post_transforms', '', ms(t.post_transforms)],
    ['writer', '', ms(t.writer)],
    ['total', '', ms(t.total)],
  );
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  return rows
    .map((r) =>
      `${(r[0] as string).padEnd(widths[0] as number)}  ${(r[1] as string).padEnd(widths[1] as number)}  ${(r[2] as string).padStart(widths[2] as number)}`.trimEnd(),
    )
    .join('\n');
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/** The exit code of an error: 3 for the model, 4 for the input, 130 when interrupted, 1 otherwise. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) {
    return EXIT.usage;
  }
  if (error instanceof CancelledError) {
    return EXIT.cancelled;
  }
  if (error instanceof ConfigError || error instanceof ModelLoadError) {
    return EXIT.model;
  }
  if (error instanceof PluginError && error.kind === 'invalid-input') {
    return EXIT.model;
  }
  // The same errors, raised while a worker thread built the pipeline (they cross threads as data, not classes).
  if (error instanceof PipelineWorkerError && ['PluginError', 'ModelLoadError'].includes(error.originalName)) {
    return error.kind === 'invalid-input' ? EXIT.model : EXIT.failed;
  }
  if (error instanceof AiaaError && (error.kind === 'invalid-input' || error.kind === 'too-large')) {
    return EXIT.input;
  }
  return EXIT.failed;
}

/** The volume of each label of the written result, named by the model's labels; undefined when it is no label map. */
async function describeVolumes(args: InferArgs): Promise<string | undefined> {
  const volumes = labelVolumes(await readNifti(args.output));
  if (!volumes) {
    return undefined;
  }
  const spec = await readModelSpec(args);
  const config = ModelConfig.parse(spec.configJson, {
    engine: spec.engine,
    name: spec.modelName,
    ...(spec.modelPath ? { modelPath: spec.modelPath } : {}),
  });
  return `label volumes of ${path.basename(args.output)}:\n${volumeTable(volumes, await resolveModelLabels(config))}`;
}

/** The command: arguments in, exit code out; progress and the table to `err`, the result JSON to `out`. */
export async function main(
  argv: readonly string[],
  io: { out: (s: string) => void; err: (s: string) => void; cwd: string; signal?: AbortSignal },
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return EXIT.ok;
  }
  try {
    const args = await parseInferArgs(argv, io.cwd);
    const result = await infer(args, { signal: io.signal, log: io.err });
    io.err(timingTable(result));
    io.err(`wrote ${args.output}`);
    const volumes = await describeVolumes(args);
    if (volumes) {
      io.err(volumes);
    }
    io.out(JSON.stringify(result.ctx.writerOutput?.json ?? {}));
    return EXIT.ok;
  } catch (error) {
    io.err(`infer: ${describeError(error)}`);
    if (error instanceof UsageError) {
      io.err(USAGE);
    }
    return exitCodeOf(error);
  }
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  void main(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    cwd: process.cwd(),
    signal: controller.signal,
  }).then((code) => {
    process.exitCode = code;
  });
}
