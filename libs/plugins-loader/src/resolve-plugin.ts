import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PluginError, PluginFileMissingError } from './plugin-error';

/** File extensions a plugin module may have, in the order they are tried (TypeScript before compiled JavaScript). */
export const PLUGIN_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'] as const;

/** Extra extensions a plugin's own relative imports may use. */
const IMPORT_EXTENSIONS = [...PLUGIN_EXTENSIONS, '.cts', '.json'] as const;

/** TypeScript sources import each other by their compiled names (`./util.js` for `util.ts`). */
const TS_SOURCE_OF: Readonly<Record<string, string>> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A parsed `module.ClassName` or `pkg.sub.ClassName`. */
export interface PluginName {
  /** The name as written in the config. */
  readonly name: string;
  /** Folder and module parts: `['pkg', 'sub']` for `pkg.sub.ClassName`. */
  readonly modulePath: readonly string[];
  /** The export to take from the module: `ClassName`. */
  readonly exportName: string;
}

/** A plugin name resolved to a real file inside `<workspace>/lib`. */
export interface ResolvedPlugin extends PluginName {
  /** Real path of the module file. */
  readonly file: string;
  /** Real path of `<workspace>/lib`. */
  readonly libDir: string;
}

/**
 * Splits a config name into module path and export name. Every part must be a JavaScript identifier, so names
 * cannot climb out of `lib` (`..`), be absolute, or carry separators.
 * @throws PluginError (invalid-input) naming the bad name.
 */
export function parsePluginName(name: string, where?: string): PluginName {
  const parts = name.split('.');
  const exportName = parts.pop();
  if (exportName === undefined || parts.length === 0 || ![...parts, exportName].every((p) => IDENTIFIER.test(p))) {
    throw new PluginError(
      JSON.stringify(name),
      'not a plugin name: expected module.ClassName or pkg.module.ClassName, each part an identifier',
      { where },
    );
  }
  return { name, modulePath: parts, exportName };
}

/**
 * Finds the module file of a plugin name: `module.ClassName` → `lib/module.{ts,mts,js,mjs,cjs}`, then
 * `lib/module/index.*`; `pkg.sub.ClassName` → `lib/pkg/sub.*`, then `lib/pkg/sub/index.*`.
 * @param libDir - `<workspace>/lib`.
 * @param where - config path for messages, e.g. `inference`.
 * @throws PluginError (invalid-input) when the name is malformed, no file exists, or the file resolves (through a
 * symlink) outside `lib`.
 */
export function resolvePlugin(libDir: string, name: string, where?: string): ResolvedPlugin {
  const parsed = parsePluginName(name, where);
  const relative = parsed.modulePath.join('/');
  const realLib = realDir(libDir);
  const candidates = [
    ...PLUGIN_EXTENSIONS.map((ext) => `${relative}${ext}`),
    ...PLUGIN_EXTENSIONS.map((ext) => `${relative}/index${ext}`),
  ];
  const found = realLib === undefined ? undefined : candidates.find((c) => isFile(path.join(realLib, c)));
  if (realLib === undefined || found === undefined) {
    const exts = PLUGIN_EXTENSIONS.map((e) => e.slice(1)).join(',');
    throw new PluginFileMissingError(name, `no file lib/${relative}.{${exts}} or lib/${relative}/index.{${exts}}`, {
      where,
    });
  }
  const file = realpathSync(path.join(realLib, found));
  if (!isInside(realLib, file)) {
    throw new PluginError(name, `lib/${found} resolves to a file outside lib (a symlink?); refused`, { where });
  }
  return { ...parsed, file, libDir: realLib };
}

/**
 * Resolves a plugin's relative import (`./util`, `./util.js` for `util.ts`, `./dir` for `dir/index.ts`, `./data.json`)
 * to a real file path, or undefined when nothing matches. Does not check where the file is; see {@link isInside}.
 */
export function resolveImport(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const ext = path.extname(base);
  const tsSource = TS_SOURCE_OF[ext];
  const candidates = [
    base,
    ...(tsSource ? [base.slice(0, -ext.length) + tsSource] : []),
    ...IMPORT_EXTENSIONS.map((e) => base + e),
    ...IMPORT_EXTENSIONS.map((e) => path.join(base, `index${e}`)),
  ];
  const found = candidates.find(isFile);
  return found === undefined ? undefined : realpathSync(found);
}

/** True when the real path `file` lies under the real directory `dir`. */
export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function realDir(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
