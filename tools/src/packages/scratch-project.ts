// Projects outside the repository that use the built packages as another team would: the packages packed with
// `npm pack`, installed from their tarballs by npm into a folder under the system's temp dir (no path mapping, no SWC
// hook: Node and tsc resolve them from node_modules, through each package's `exports`), compiled with tsc and run
// with plain Node.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './build-package';

/** The libraries published as packages, in dependency order. */
export const PACKAGE_LIBS = ['core', 'inference', 'plugins-loader', 'client'] as const;

/** What `npm pack --json` says of one tarball. */
export interface PackedTarball {
  readonly name: string;
  readonly version: string;
  /** The tarball's file name, in the folder it was packed into. */
  readonly filename: string;
  /** Bytes of the .tgz. */
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string }[];
}

/** A finished child process. */
export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Nx settings a child Nx keeps; the other `NX_*` variables describe the task running this test. */
const NX_SETTINGS = new Set(['NX_DAEMON', 'NX_NO_CLOUD', 'NX_SKIP_NX_CACHE']);

/**
 * The environment of the children: no hook of this repository (the Jest/SWC loader, its tsconfig paths), npm told
 * not to run onnxruntime-node's download, plain text (no colours), and no trace of the Nx task running this test, so that an Nx started here
 * is an invocation of its own (Nx refuses a task that an ancestor invocation already ran, such as a build).
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_onnxruntime_node_install: 'skip', NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  for (const name of Object.keys(env)) {
    const nxTask = name.startsWith('NX_') && !NX_SETTINGS.has(name);
    if (nxTask || ['NODE_OPTIONS', 'SWC_NODE_PROJECT', 'TS_NODE_PROJECT', 'NODE_PATH'].includes(name)) {
      delete env[name];
    }
  }
  return env;
}

/** How {@link run} runs a command. */
export interface RunOptions {
  /** Killed past this (default 2 minutes). */
  readonly timeoutMs?: number;
  /** Variables added to the clean environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs a command to its end (bounded in time) and returns its output. */
export function run(command: string, args: readonly string[], cwd: string, options: RunOptions = {}): RunResult {
  const env = { ...cleanEnv(), ...options.env };
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: options.timeoutMs ?? 120_000 });
  if (result.error) {
    throw result.error;
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like {@link run}, failing with the command's output when it does not exit 0. */
export function runOk(command: string, args: readonly string[], cwd: string, options?: RunOptions): RunResult {
  const result = run(command, args, cwd, options);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** Builds the packages with Nx (cached: a build whose inputs did not change is restored, not rerun). */
export function buildPackages(): void {
  const nx = require.resolve('nx/bin/nx.js', { paths: [REPO_ROOT] });
  const args = [nx, 'run-many', '-t', 'build', '-p', ...PACKAGE_LIBS, '--outputStyle=static'];
  runOk(process.execPath, args, REPO_ROOT, { timeoutMs: 300_000 });
}

/** Packs every built package into `dir` with `npm pack`. */
export function packPackages(dir: string): Map<string, PackedTarball> {
  mkdirSync(dir, { recursive: true });
  const tarballs = new Map<string, PackedTarball>();
  for (const lib of PACKAGE_LIBS) {
    const packageDir = path.join(REPO_ROOT, 'dist', 'libs', lib);
    const { stdout } = runOk('npm', ['pack', '--json', '--pack-destination', dir], packageDir);
    const [packed] = JSON.parse(stdout) as PackedTarball[];
    if (!packed) {
      throw new Error(`npm pack wrote nothing for ${packageDir}`);
    }
    tarballs.set(packed.name, packed);
  }
  return tarballs;
}

/** What a scratch project is made of. */
export interface ScratchProjectSpec {
  /** The project's folder; created. */
  readonly dir: string;
  /** A folder of this repository whose files are copied into it (its sources, tsconfig.json, config_aiaa.json). */
  readonly sources: string;
  /** `module` (ES modules) or `commonjs`: the package's `type`. */
  readonly type: 'module' | 'commonjs';
  /** The tarballs to install, by package name. */
  readonly dependencies: readonly PackedTarball[];
  /** The folder holding the tarballs. */
  readonly tarballDir: string;
}

/**
 * Creates the project: its sources, a package.json depending on the tarballs (and on @types/node at the range of
 * this repository), then `npm install`. npm takes what it can from its cache (`--prefer-offline`: the packages this
 * repository's install already fetched) and runs no install script, as this repository's `allowScripts` runs none
 * of these packages' (onnxruntime-node's would download CUDA libraries; .npmrc says skip all the same).
 */
export function createScratchProject(spec: ScratchProjectSpec): void {
  mkdirSync(spec.dir, { recursive: true });
  cpSync(spec.sources, spec.dir, { recursive: true });
  const root = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const dependencies = Object.fromEntries(
    spec.dependencies.map((t) => [t.name, `file:${path.relative(spec.dir, path.join(spec.tarballDir, t.filename))}`]),
  );
  const manifest = {
    name: path.basename(spec.dir),
    private: true,
    type: spec.type,
    dependencies,
    devDependencies: { '@types/node': root.devDependencies['@types/node'] },
  };
  writeFileSync(path.join(spec.dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(spec.dir, '.npmrc'), 'onnxruntime-node-install=skip\n');
  const args = ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  runOk('npm', args, spec.dir, { timeoutMs: 240_000 });
}

/** Type-checks and compiles the project with its own tsconfig.json (strict, node16 resolution). */
export function compileScratchProject(dir: string): RunResult {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
  return run(process.execPath, [tsc, '-p', dir], dir);
}
