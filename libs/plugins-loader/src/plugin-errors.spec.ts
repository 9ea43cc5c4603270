import { InvalidInputError, TransformContext, TransformRegistry } from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { PluginWorkspace } from '../test/support/plugin-workspace';
import { PluginError } from './plugin-error';
import { PluginLoader } from './plugin-loader';

const ws = new PluginWorkspace();
const loader = new PluginLoader({ workspaceDir: ws.dir });
afterAll(() => ws.remove());

function loadError(name: string, where = 'inference'): PluginError {
  try {
    loader.forModel('m').loadInference(name, {}, where);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({ kind: 'invalid-input', plugin: name, where });
    return error as PluginError;
  }
  throw new Error(`${name} loaded`);
}

function ctx(params: Record<string, unknown> = {}): TransformContext {
  return new TransformContext({ params, images: [['image', makeImage(Float32Array.from([1]), [1, 1, 1])]] });
}

describe('plugins that cannot be loaded', () => {
  it('a missing file', () => {
    expect(loadError('custom_inference.CustomInference').message).toBe(
      'inference: custom_inference.CustomInference: no file lib/custom_inference.{ts,mts,js,mjs,cjs} or ' +
        'lib/custom_inference/index.{ts,mts,js,mjs,cjs}',
    );
  });

  it('a missing export, listing what the module does export', () => {
    ws.write('no_export.ts', 'export class Other {}\nexport const version = 1;\n');
    expect(loadError('no_export.CustomInference').message).toBe(
      "inference: no_export.CustomInference: lib/no_export.ts has no export 'CustomInference' (exports: Other, version)",
    );
  });

  it('an export that is not a class', () => {
    ws.write('not_class.js', 'exports.CustomInference = 42;\n');
    expect(loadError('not_class.CustomInference').message).toBe(
      "inference: not_class.CustomInference: lib/not_class.js exports 'CustomInference' as a number, expected a class",
    );
  });

  it('a TypeScript syntax error, with file and line', () => {
    ws.write('bad_syntax.ts', 'export class CustomInference {\n  inference() {\n    const x: number = ;\n  }\n}\n');
    expect(loadError('bad_syntax.CustomInference').message).toBe(
      'inference: bad_syntax.CustomInference: lib/bad_syntax.ts:3: syntax error: Expression expected',
    );
  });

  it('a syntax error in a module the plugin imports, naming that file and line', () => {
    ws.write(
      'outer.ts',
      "import { helper } from './inner/broken.mjs';\nexport class Outer { apply() { helper(); } }\n",
    );
    ws.write('inner/broken.mjs', 'export function helper() {\n  return {;\n}\n');
    expect(loadError('outer.Outer', 'pre_transforms[1]').message).toMatch(
      /^pre_transforms\[1\]: outer\.Outer: lib\/inner\/broken\.mjs:2: syntax error: /,
    );
  });

  it('a constructor that throws, with its message', () => {
    ws.write(
      'ctor_throws.ts',
      "export class CustomInference {\n  constructor(args: { model?: string }) {\n    if (!args.model) { throw new Error('args.model is required'); }\n  }\n  inference() {}\n}\n",
    );
    expect(loadError('ctor_throws.CustomInference').message).toBe(
      'inference: ctor_throws.CustomInference: lib/ctor_throws.ts: new CustomInference(args) threw: args.model is required',
    );
  });

  it('a class without inference()', () => {
    ws.write('no_method.mjs', 'export class CustomInference {\n  infer() {}\n}\n');
    expect(loadError('no_method.CustomInference').message).toBe(
      'inference: no_method.CustomInference: lib/no_method.mjs: class has no inference(name, data, config) method',
    );
  });

  it('a transform class without apply, call or transform', () => {
    ws.write('lazy_transform.ts', 'export class Lazy {\n  run() {}\n}\n');
    const registry = new TransformRegistry();
    expect(() =>
      registry.build({ name: 'lazy_transform.Lazy' }, 'post_transforms[0]', loader.forModel('m').loadTransform),
    ).toThrow(
      new PluginError(
        'lazy_transform.Lazy',
        'lib/lazy_transform.ts: class has none of the methods apply(ctx), call(ctx), transform(ctx)',
        {
          where: 'post_transforms[0]',
        },
      ),
    );
  });

  it('a module that throws while loading', () => {
    ws.write('top_throw.cjs', "throw new Error('cannot find weights');\n");
    expect(loadError('top_throw.CustomInference').message).toBe(
      'inference: top_throw.CustomInference: lib/top_throw.cjs failed while loading: cannot find weights',
    );
  });

  it('top-level await, which synchronous loading cannot run', () => {
    ws.write(
      'top_await.mts',
      'const x = await Promise.resolve(1);\nexport class CustomInference { inference() { return x; } }\n',
    );
    expect(loadError('top_await.CustomInference').message).toMatch(
      /^inference: top_await\.CustomInference: lib\/top_await\.mts: .*\(top-level await is not supported in plugins\)$/,
    );
  });

  it('a relative import that leaves lib', () => {
    ws.write('escape.ts', "import '../outside.js';\nexport class CustomInference { inference() {} }\n");
    ws.write('../outside.js', '');
    expect(loadError('escape.CustomInference').message).toBe(
      "inference: escape.CustomInference: lib/escape.ts imports '../outside.js', which resolves outside lib; refused",
    );
  });

  it('a missing relative import and a missing package', () => {
    ws.write('missing_import.ts', "import './nope';\nexport class A {}\n");
    expect(loadError('missing_import.A').message).toBe(
      "inference: missing_import.A: lib/missing_import.ts imports './nope': no such file",
    );
    ws.write('missing_package.js', "require('aiaa-no-such-package');\n");
    expect(loadError('missing_package.A').message).toBe(
      "inference: missing_package.A: lib/missing_package.js imports 'aiaa-no-such-package': package not found",
    );
  });

  it('leaves other plugins of the same model loadable after a failure', () => {
    ws.write('fine.ts', 'export class Fine { inference(_n: string, d: unknown) { return d; } }\n');
    const plugins = loader.forModel('m');
    expect(() => plugins.loadInference('bad_syntax.CustomInference')).toThrow(PluginError);
    expect(plugins.loadInference('fine.Fine').origin.file).toBe('lib/fine.ts');
  });
});

describe('plugins that fail during a request', () => {
  beforeAll(() => {
    ws.write(
      'flaky.ts',
      `import { InvalidInputError, type TransformContext } from '@aiaa/core';
export class SyncThrow {
  inference(_name: string, data: TransformContext): TransformContext {
    if (data.params['fail']) { throw new Error('exploded on ' + String(data.params['fail'])); }
    return data;
  }
}
export class Rejects {
  async inference(_name: string, data: TransformContext): Promise<TransformContext> {
    await new Promise((resolve) => setImmediate(resolve));
    if (data.params['fail']) { throw new TypeError('gpu gone'); }
    return data;
  }
}
export class BadClicks {
  inference(): never { throw new InvalidInputError('params.foreground: expected at least one point'); }
}
export class ReturnsJunk {
  inference(): number { return 7; }
}
export class NewContext {
  apply(ctx: TransformContext): TransformContext { return ctx.fork(); }
}
export class WritesNothing {
  write(): void {}
}
export class WritesBadJson {
  write(): unknown { return { file: 'x', json: [1] }; }
}
`,
    );
  });

  it.each([
    ['SyncThrow', 'exploded on yes'],
    ['Rejects', 'gpu gone'],
  ])('%s: that request gets an internal error naming the plugin; others succeed', async (cls, message) => {
    const plugin = loader.forModel('m').loadInference(`flaky.${cls}`);
    const [bad, good] = await Promise.allSettled([
      plugin.inference('m', ctx({ fail: 'yes' }), {}),
      plugin.inference('m', ctx(), {}),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(PluginError) });
    const reason = (bad as PromiseRejectedResult).reason as PluginError;
    expect(reason.kind).toBe('internal');
    expect(reason.message).toBe(`inference: flaky.${cls}: inference() failed: ${message}`);
    expect(good.status).toBe('fulfilled');
    await expect(plugin.inference('m', ctx(), {})).resolves.toBeInstanceOf(TransformContext);
  });

  it('keeps the kind of a library error the plugin throws on purpose', async () => {
    const plugin = loader.forModel('m').loadInference('flaky.BadClicks');
    const error = await plugin.inference('m', ctx(), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({ kind: 'invalid-input', cause: expect.any(InvalidInputError) });
    expect((error as Error).message).toBe(
      'inference: flaky.BadClicks: inference() failed: params.foreground: expected at least one point',
    );
  });

  it('refuses an inference result that is not a TransformContext', async () => {
    const plugin = loader.forModel('m').loadInference('flaky.ReturnsJunk');
    await expect(plugin.inference('m', ctx(), {})).rejects.toThrow(
      new PluginError('flaky.ReturnsJunk', 'inference() must resolve to a TransformContext, got number', {
        kind: 'internal',
        where: 'inference',
      }),
    );
  });

  it('refuses a transform that returns a new context and writers without output', async () => {
    const plugins = loader.forModel('m');
    const step = plugins.loadTransform('flaky.NewContext', {}, 'post_transforms[0]');
    await expect(step?.apply(ctx())).rejects.toMatchObject({
      kind: 'internal',
      message:
        'post_transforms[0]: flaky.NewContext: apply() returned a new TransformContext; change the one it is given',
    });
    const nothing = plugins.loadWriter('flaky.WritesNothing', {}, 'writer');
    await expect(nothing?.apply(ctx())).rejects.toThrow(
      'writer: flaky.WritesNothing: write() neither returned {file, json} nor set ctx.writerOutput',
    );
    const badJson = plugins.loadWriter('flaky.WritesBadJson', {}, 'writer');
    await expect(badJson?.apply(ctx())).rejects.toThrow(
      'writer: flaky.WritesBadJson: write() must return {file?: string, json: object}, got json of type array',
    );
  });
});
