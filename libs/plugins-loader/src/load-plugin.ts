import { transformSync, type Options } from '@swc/core';
import { readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import * as path from 'node:path';
import { describeError } from '@aiaa/core';
import { isInside, resolveImport } from './resolve-plugin';

/** A module being (or already) evaluated in a {@link ModuleScope}, shaped like Node's `module`. */
interface PluginModule {
  exports: unknown;
  readonly id: string;
  readonly filename: string;
  loaded: boolean;
}

type ModuleFunction = (
  exports: unknown,
  require: (specifier: string) => unknown,
  module: PluginModule,
  filename: string,
  dirname: string,
) => void;

/**
 * Where plugin modules are evaluated. Each scope evaluates a file at most once (so the plugins of one model share
 * their modules, and import cycles work as in Node); a new scope reads and compiles every file afresh, which is how
 * an edited plugin is picked up without a restart. Nothing goes into Node's `require.cache`.
 */
export interface ModuleScope {
  /** Real path of `<workspace>/lib`: every plugin file must lie inside it. */
  readonly libDir: string;
  /** Specifiers answered with the server's own module instances (`@aiaa/core` → the loaded core). */
  readonly modules: ReadonlyMap<string, unknown>;
  /** Modules evaluated so far, by real path. */
  readonly cache: Map<string, PluginModule>;
}

/** A module that failed to compile or evaluate; `detail` names the file (and line for syntax errors). */
export class ModuleLoadError extends Error {
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'ModuleLoadError';
  }
}

// The server's own resolution: plugins get the same packages (onnxruntime-node, zod, …) the server loaded.
const hostRequire = createRequire(__filename);

/**
 * Compiles (TypeScript or JavaScript, ES module or CommonJS) and evaluates a plugin file in a scope, returning its
 * `module.exports`. Everything is turned into CommonJS by SWC and run synchronously, so loading fits the synchronous
 * transform resolver and `import()` inside a plugin goes through the same mapped `require`.
 * @throws ModuleLoadError naming the file: syntax errors with their line, a throw at module top level, an import
 * that cannot be found or that leaves `lib`.
 */
export function loadModule(file: string, scope: ModuleScope): unknown {
  const cached = scope.cache.get(file);
  if (cached) {
    return cached.exports;
  }
  const display = displayPath(scope.libDir, file);
  const source = readFileSync(file, 'utf8');
  const module: PluginModule = { exports: {}, id: file, filename: file, loaded: false };
  // Registered before evaluation so that a cycle sees the partial exports, as Node's require does.
  scope.cache.set(file, module);
  try {
    if (path.extname(file) === '.json') {
      module.exports = parseJson(source, display);
    } else {
      const run = toFunction(compileModule(file, source, display), file, display);
      run.call(module.exports, module.exports, makeRequire(file, scope), module, file, path.dirname(file));
    }
  } catch (error) {
    scope.cache.delete(file);
    if (error instanceof ModuleLoadError) {
      throw error;
    }
    throw new ModuleLoadError(`${display} failed while loading: ${describeError(error)}`, { cause: error });
  }
  module.loaded = true;
  return module.exports;
}

/**
 * Transpiles one plugin file to CommonJS ES2022 with SWC (types are stripped, not checked).
 * @param display - the path used in messages, e.g. `lib/custom_inference.ts`.
 * @throws ModuleLoadError `lib/x.ts:12: syntax error: Expression expected`.
 */
export function compileModule(file: string, source: string, display: string): string {
  try {
    return transformSync(source, swcOptions(file)).code;
  } catch (error) {
    // Read the message field directly: SWC's native binding may create its Error in another realm.
    const message: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'message') : error;
    throw new ModuleLoadError(formatSwcError(String(message), display), { cause: error });
  }
}

function swcOptions(file: string): Options {
  const ext = path.extname(file);
  const typescript = ext === '.ts' || ext === '.mts' || ext === '.cts';
  return {
    filename: file,
    swcrc: false,
    configFile: false,
    // .mjs/.mts are modules whatever they contain; other files are scripts unless they use import/export, so a
    // sloppy-mode CommonJS file is not silently made strict.
    isModule: ext === '.mjs' || ext === '.mts' ? true : 'unknown',
    jsc: { target: 'es2022', parser: typescript ? { syntax: 'typescript' } : { syntax: 'ecmascript' } },
    module: { type: 'commonjs' },
  };
}

/** SWC reports `  x Expression expected\n   ,-[/abs/file.ts:2:1]…`; keep the workspace-relative file, line and text. */
function formatSwcError(message: string, display: string): string {
  const what = /^\s*x (.+)$/m.exec(message)?.[1]?.trim() ?? message.split('\n')[0]?.trim() ?? 'unknown error';
  const line = /,-\[.*:(\d+):\d+\]/.exec(message)?.[1];
  return line === undefined ? `${display}: syntax error: ${what}` : `${display}:${line}: syntax error: ${what}`;
}

function toFunction(code: string, file: string, display: string): ModuleFunction {
  try {
    // The Function constructor of this module's own realm, so a plugin's Error, Promise and typed arrays are the
    // server's (vm.compileFunction would use the main context, which differs under a sandboxing test runner).
    // sourceURL makes stack traces name the plugin file.
    return new Function(
      'exports',
      'require',
      'module',
      '__filename',
      '__dirname',
      `${code}\n//# sourceURL=${file}`,
    ) as ModuleFunction;
  } catch (error) {
    // SWC accepts some code a CommonJS function body cannot hold, top-level await above all.
    const hint = /\bawait\b/.test(describeError(error)) ? ' (top-level await is not supported in plugins)' : '';
    throw new ModuleLoadError(`${display}: ${describeError(error)}${hint}`, { cause: error });
  }
}

function makeRequire(fromFile: string, scope: ModuleScope): (specifier: string) => unknown {
  const from = displayPath(scope.libDir, fromFile);
  return (specifier: string): unknown => {
    if (scope.modules.has(specifier)) {
      return scope.modules.get(specifier);
    }
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
      const target = resolveImport(fromFile, specifier);
      if (target === undefined) {
        throw new ModuleLoadError(`${from} imports '${specifier}': no such file`);
      }
      if (!isInside(scope.libDir, target)) {
        throw new ModuleLoadError(`${from} imports '${specifier}', which resolves outside lib; refused`);
      }
      return loadModule(target, scope);
    }
    if (isBuiltin(specifier)) {
      return hostRequire(specifier);
    }
    return requirePackage(specifier, fromFile, from);
  };
}

/** A package: the server's copy first (one onnxruntime, one zod), else one installed beside the workspace. */
function requirePackage(specifier: string, fromFile: string, from: string): unknown {
  let resolved: string;
  try {
    resolved = hostRequire.resolve(specifier);
  } catch {
    try {
      resolved = createRequire(fromFile).resolve(specifier);
    } catch (error) {
      throw new ModuleLoadError(`${from} imports '${specifier}': package not found`, { cause: error });
    }
  }
  return hostRequire(resolved);
}

function parseJson(source: string, display: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new ModuleLoadError(`${display}: invalid JSON: ${describeError(error)}`, { cause: error });
  }
}

/** `lib/pkg/sub.ts`: the path as the workspace owner sees it, never the server's absolute path. */
export function displayPath(libDir: string, file: string): string {
  return `lib/${path.relative(libDir, file).split(path.sep).join('/')}`;
}
