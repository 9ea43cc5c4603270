import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PluginWorkspace } from '../test/support/plugin-workspace';
import { PluginError } from './plugin-error';
import { parsePluginName, resolvePlugin, resolveImport } from './resolve-plugin';

describe('resolvePlugin', () => {
  const ws = new PluginWorkspace();
  const lib = path.join(ws.dir, 'lib');
  afterAll(() => ws.remove());

  it('maps module.ClassName to lib/module.ts', () => {
    const file = ws.write('custom_inference.ts', '');
    const resolved = resolvePlugin(lib, 'custom_inference.CustomInference');
    expect(resolved.file).toBe(realpathSync(file));
    expect(resolved.modulePath).toEqual(['custom_inference']);
    expect(resolved.exportName).toBe('CustomInference');
  });

  it('tries ts, mts, js, mjs, cjs in that order', () => {
    ws.write('order.cjs', '');
    ws.write('order.mjs', '');
    expect(path.basename(resolvePlugin(lib, 'order.A').file)).toBe('order.mjs');
    ws.write('order.js', '');
    expect(path.basename(resolvePlugin(lib, 'order.A').file)).toBe('order.js');
    ws.write('order.mts', '');
    expect(path.basename(resolvePlugin(lib, 'order.A').file)).toBe('order.mts');
    ws.write('order.ts', '');
    expect(path.basename(resolvePlugin(lib, 'order.A').file)).toBe('order.ts');
  });

  it('maps pkg.sub.ClassName to lib/pkg/sub.* and then lib/pkg/sub/index.*', () => {
    const index = ws.write('pkg/sub/index.mjs', '');
    expect(resolvePlugin(lib, 'pkg.sub.Writer').file).toBe(realpathSync(index));
    const sub = ws.write('pkg/sub.js', '');
    expect(resolvePlugin(lib, 'pkg.sub.Writer').file).toBe(realpathSync(sub));
  });

  it('follows a symlinked lib folder (the whole of lib may live elsewhere)', () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'aiaa-lib-'));
    const other = path.join(mkdtempSync(path.join(tmpdir(), 'aiaa-ws-')), 'lib');
    try {
      writeFileSync(path.join(elsewhere, 'linked.ts'), '');
      symlinkSync(elsewhere, other);
      expect(resolvePlugin(other, 'linked.L').file).toBe(path.join(realpathSync(elsewhere), 'linked.ts'));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
      rmSync(path.dirname(other), { recursive: true, force: true });
    }
  });

  it('resolves relative imports by their compiled names and folder indexes', () => {
    const from = ws.write('imports/main.ts', '');
    const util = ws.write('imports/util.ts', '');
    const index = ws.write('imports/dir/index.mts', '');
    expect(resolveImport(from, './util.js')).toBe(realpathSync(util));
    expect(resolveImport(from, './util')).toBe(realpathSync(util));
    expect(resolveImport(from, './dir')).toBe(realpathSync(index));
    expect(resolveImport(from, './absent')).toBeUndefined();
  });

  describe('bad names and files', () => {
    it.each([
      ['no module part', 'CustomInference'],
      ['parent folder', '...CustomInference'],
      ['climbing out', '../etc.passwd'],
      ['a path separator', 'sub/mod.Class'],
      ['an absolute path', '/etc/passwd.Class'],
      ['an empty part', 'a..Class'],
      ['a dash', 'my-lib.Class'],
      ['a trailing dot', 'module.'],
      ['the empty string', ''],
    ])('refuses a name with %s', (_case, name) => {
      expect(() => resolvePlugin(lib, name, 'inference')).toThrow(PluginError);
      expect(() => parsePluginName(name, 'inference')).toThrow(
        `inference: ${JSON.stringify(name)}: not a plugin name: expected module.ClassName`,
      );
    });

    it('names the plugin and every file it looked for when none exists', () => {
      const error = catchError(() => resolvePlugin(lib, 'custom_missing.CustomInference', 'inference'));
      expect(error).toBeInstanceOf(PluginError);
      expect(error).toMatchObject({ kind: 'invalid-input', plugin: 'custom_missing.CustomInference' });
      expect(error.message).toBe(
        'inference: custom_missing.CustomInference: no file lib/custom_missing.{ts,mts,js,mjs,cjs} or ' +
          'lib/custom_missing/index.{ts,mts,js,mjs,cjs}',
      );
    });

    it('reports a missing lib folder as a missing file', () => {
      expect(() => resolvePlugin(path.join(ws.dir, 'no-lib'), 'x.Y')).toThrow('x.Y: no file lib/x.{ts');
    });

    it('refuses a symlink that leads out of lib', () => {
      const outside = mkdtempSync(path.join(tmpdir(), 'aiaa-outside-'));
      try {
        writeFileSync(path.join(outside, 'evil.ts'), 'export class Evil {}');
        symlinkSync(path.join(outside, 'evil.ts'), path.join(lib, 'evil.ts'));
        mkdirSync(path.join(lib, 'evilpkg'));
        symlinkSync(outside, path.join(lib, 'evilpkg', 'sub'));
        expect(() => resolvePlugin(lib, 'evil.Evil', 'pre_transforms[0]')).toThrow(
          'pre_transforms[0]: evil.Evil: lib/evil.ts resolves to a file outside lib (a symlink?); refused',
        );
        expect(() => resolvePlugin(lib, 'evilpkg.sub.evil.Evil')).toThrow('resolves to a file outside lib');
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}
