// `node tools/scripts/build-package.js libs/<lib>` (the `build` target of every library): compiles the library with
// tsc into dist/libs/<lib>/lib (JavaScript, declarations, source maps with their sources), copies the files it reads
// at run time (.proto), its README, and writes its package.json. The packages it depends on are built first (Nx's
// `^build`) and compiled against through their declarations, never their sources.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  LIB_DIR,
  type EntryPoint,
  type PackageJson,
  isPackageSpecifier,
  packageManifest,
  requiredSpecifiers,
} from './package-manifest';

/** The repository root (this file is tools/src/packages/build-package.ts). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Entry points by convention: `src/index.ts` is the package, `src/testing.ts` its `./testing` subpath. */
const ENTRY_SOURCES: readonly { readonly subpath: string; readonly name: string }[] = [
  { subpath: '.', name: 'index' },
  { subpath: './testing', name: 'testing' },
];

/** A library as the build sees it. */
export interface LibraryProject {
  /** `libs/core`, relative to the repository root. */
  readonly root: string;
  /** Its output folder, `dist/libs/core`. */
  readonly outDir: string;
  readonly manifest: PackageJson;
  readonly entryPoints: readonly EntryPoint[];
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Files under `dir` (recursively), relative to it, with `/` separators. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The library at `root` (relative to the repository root), with its entry points. */
export function libraryProject(root: string): LibraryProject {
  const absolute = path.join(REPO_ROOT, root);
  const manifest = readJson<PackageJson>(path.join(absolute, 'package.json'));
  const entryPoints = ENTRY_SOURCES.filter((e) => existsSync(path.join(absolute, 'src', `${e.name}.ts`))).map(
    (e): EntryPoint => ({ subpath: e.subpath, js: `${LIB_DIR}/${e.name}.js`, dts: `${LIB_DIR}/${e.name}.d.ts` }),
  );
  return { root, outDir: path.join('dist', root), manifest, entryPoints };
}

/** Every library with a package.json under libs/, by package name. */
export function workspacePackages(): Map<string, PackageJson> {
  const packages = new Map<string, PackageJson>();
  for (const dir of readdirSync(path.join(REPO_ROOT, 'libs'))) {
    const file = path.join(REPO_ROOT, 'libs', dir, 'package.json');
    if (existsSync(file)) {
      const manifest = readJson<PackageJson>(file);
      packages.set(manifest.name, manifest);
    }
  }
  return packages;
}

function compile(project: LibraryProject): void {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
  const config = path.join(project.root, 'tsconfig.lib.json');
  const result = spawnSync(process.execPath, [tsc, '-p', config], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`tsc -p ${config} failed (exit ${result.status ?? result.signal})`);
  }
}

/** Copies what the library reads beside its modules at run time (every file of src/ that is not TypeScript). */
function copyAssets(project: LibraryProject): string[] {
  const src = path.join(REPO_ROOT, project.root, 'src');
  const assets = listFiles(src).filter((file) => !file.endsWith('.ts'));
  for (const asset of assets) {
    const target = path.join(REPO_ROOT, project.outDir, LIB_DIR, asset);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(src, asset), target);
  }
  return assets;
}

/** Bare specifiers the compiled JavaScript requires, each with the first file requiring it. */
function collectRequires(libDir: string): Map<string, string> {
  const requires = new Map<string, string>();
  for (const file of listFiles(libDir).filter((f) => f.endsWith('.js'))) {
    for (const specifier of requiredSpecifiers(readFileSync(path.join(libDir, file), 'utf8'))) {
      if (isPackageSpecifier(specifier) && !requires.has(specifier)) {
        requires.set(specifier, `${LIB_DIR}/${file}`);
      }
    }
  }
  return requires;
}

/** Builds one library into `dist/<root>`; returns the package.json it wrote. */
export function buildPackage(root: string): PackageJson {
  const project = libraryProject(root);
  const outDir = path.join(REPO_ROOT, project.outDir);
  const readme = path.join(REPO_ROOT, root, 'README.md');
  if (!existsSync(readme)) {
    throw new Error(`${root}/README.md is missing: every package ships one`);
  }
  rmSync(outDir, { recursive: true, force: true });
  compile(project);
  copyAssets(project);
  for (const entry of project.entryPoints) {
    if (!existsSync(path.join(outDir, entry.js)) || !existsSync(path.join(outDir, entry.dts))) {
      throw new Error(`${root}: tsc wrote no ${entry.js} or ${entry.dts} (is rootDir src?)`);
    }
  }
  const manifest = packageManifest({
    source: project.manifest,
    root: readJson<PackageJson>(path.join(REPO_ROOT, 'package.json')),
    workspacePackages: workspacePackages(),
    entryPoints: project.entryPoints,
    requires: collectRequires(path.join(outDir, LIB_DIR)),
  });
  writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(readme, path.join(outDir, 'README.md'));
  return manifest;
}

if (require.main === module) {
  const roots = process.argv.slice(2);
  if (roots.length === 0) {
    console.error('usage: build-package libs/<lib> [libs/<lib> …]');
    process.exit(2);
  }
  try {
    for (const root of roots) {
      const manifest = buildPackage(root);
      const dependencies = Object.entries(manifest.dependencies ?? {}).map(([name, range]) => `${name}@${range}`);
      console.log(
        `built ${manifest.name}@${manifest.version} in dist/${root} (${dependencies.join(', ') || 'no dependencies'})`,
      );
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
