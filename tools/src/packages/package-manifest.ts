// The package.json of a built library: its source manifest (name, version, description, …) completed with the entry
// points, the files and the runtime dependencies its compiled JavaScript really requires, at the root's ranges.
import { isBuiltin } from 'node:module';

/** The fields of a package.json this build reads or writes. */
export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly license?: string;
  readonly keywords?: readonly string[];
  readonly sideEffects?: boolean | readonly string[];
  readonly engines?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

/** One entry point of a package: `.` for `src/index.ts`, `./testing` for `src/testing.ts`. */
export interface EntryPoint {
  /** The subpath consumers import (`.`, `./testing`). */
  readonly subpath: string;
  /** The compiled module, relative to the package folder (`lib/index.js`). */
  readonly js: string;
  /** Its declarations (`lib/index.d.ts`). */
  readonly dts: string;
}

/** What {@link packageManifest} completes a source manifest with. */
export interface ManifestInputs {
  /** The library's own package.json (`libs/<lib>/package.json`). */
  readonly source: PackageJson;
  /** The repository's package.json: its dependency ranges and `engines`. */
  readonly root: PackageJson;
  /** The other libraries' manifests by package name, for internal dependencies at the workspace version. */
  readonly workspacePackages: ReadonlyMap<string, PackageJson>;
  readonly entryPoints: readonly EntryPoint[];
  /** Every bare module specifier the compiled JavaScript requires, with the file that requires it. */
  readonly requires: ReadonlyMap<string, string>;
}

/** Folder of the compiled output inside the package. */
export const LIB_DIR = 'lib';

/** The package a bare specifier names: `@grpc/grpc-js/build/x` → `@grpc/grpc-js`, `zod/v4` → `zod`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** True for a specifier that names a package (not a relative path, an absolute path or a Node builtin). */
export function isPackageSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !isBuiltin(specifier);
}

/** Every `require("…")` of a CommonJS file as tsc emits it (dynamic `import()` included, which tsc lowers to it). */
export function requiredSpecifiers(js: string): string[] {
  return [...js.matchAll(/\brequire\((["'])([^"'\n]+)\1\)/g)].map((m) => m[2] as string);
}

/**
 * The runtime dependencies of a package: each package its JavaScript requires, at the range the root package.json
 * gives it (internal `@aiaa/*` packages at their exact workspace version: the packages are released together).
 * @throws Error naming the requiring file when a package is not among the root's `dependencies` (a devDependency
 *   imported by library code, or a package not installed at all).
 */
export function runtimeDependencies(inputs: ManifestInputs): Record<string, string> {
  const dependencies: Record<string, string> = {};
  for (const [specifier, file] of inputs.requires) {
    const name = packageNameOf(specifier);
    if (name === inputs.source.name) {
      throw new Error(`${file} requires its own package '${specifier}'; import it by a relative path`);
    }
    const internal = inputs.workspacePackages.get(name);
    const range = internal?.version ?? inputs.root.dependencies?.[name];
    if (range === undefined) {
      const dev = inputs.root.devDependencies?.[name] !== undefined ? ' (only a devDependency there)' : '';
      throw new Error(`${file} requires '${specifier}', which the root package.json does not depend on${dev}`);
    }
    dependencies[name] = range;
  }
  return Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
}

/** `exports` of the package: types first, then CommonJS for `require` and as the default. */
export function exportsField(entryPoints: readonly EntryPoint[]): Record<string, unknown> {
  const exports: Record<string, unknown> = {};
  for (const entry of entryPoints) {
    exports[entry.subpath] = { types: `./${entry.dts}`, require: `./${entry.js}`, default: `./${entry.js}` };
  }
  exports['./package.json'] = './package.json';
  return exports;
}

/** The package.json written beside the compiled library. */
export function packageManifest(inputs: ManifestInputs): PackageJson {
  const { source, root, entryPoints } = inputs;
  const main = entryPoints.find((e) => e.subpath === '.');
  if (!main) {
    throw new Error(`${source.name}: no main entry point (src/index.ts)`);
  }
  const { name, version, description, license, keywords, sideEffects, engines, ...rest } = source;
  return {
    name,
    version,
    ...(description !== undefined ? { description } : {}),
    license: license ?? root.license,
    ...(keywords !== undefined ? { keywords } : {}),
    ...rest,
    type: 'commonjs',
    main: `./${main.js}`,
    types: `./${main.dts}`,
    exports: exportsField(entryPoints),
    files: [LIB_DIR, 'README.md'],
    sideEffects: sideEffects ?? false,
    engines: engines ?? root.engines ?? {},
    dependencies: runtimeDependencies(inputs),
  };
}
