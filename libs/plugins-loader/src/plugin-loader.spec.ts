import { readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CATALOGUE, TransformContext, TransformRegistry } from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { PluginWorkspace } from '../test/support/plugin-workspace';
import { PluginLoader } from './plugin-loader';

// Every plugin below is a real file in a temp workspace outside the repository, compiled by SWC and evaluated.
const ws = new PluginWorkspace();
const loader = new PluginLoader({ workspaceDir: ws.dir });
afterAll(() => ws.remove());

function imageCtx(voxels: number[], outputDir?: string): TransformContext {
  return new TransformContext({
    images: [['image', makeImage(Float32Array.from(voxels), [1, 1, voxels.length])]],
    outputDir,
  });
}

describe('PluginLoader: inference plugins', () => {
  it('loads a TypeScript ES-module class that imports @aiaa/core and a sibling file by its .js name', async () => {
    ws.write(
      'util.ts',
      'export function invert(v: Float32Array, offset: number): Float32Array {\n  return v.map((x) => offset - x);\n}\n',
    );
    ws.write(
      'custom_inference.ts',
      `import { MedicalImage, TransformContext } from '@aiaa/core';
import { invert } from './util.js';

interface Args { offset: number }

export class CustomInference {
  private readonly offset: number;
  constructor(args: Args) {
    this.offset = args.offset;
  }
  async inference(name: string, data: TransformContext, config: { name?: string }): Promise<TransformContext> {
    const image = data.getImage('image');
    data.setImage('model', image.with({ voxels: invert(image.voxels as Float32Array, this.offset) }));
    data.setProperty('seen', {
      name,
      config: config.name,
      isContext: data instanceof TransformContext,
      isImage: image instanceof MedicalImage,
    });
    return data;
  }
}
`,
    );
    const plugin = loader.forModel('m').loadInference('custom_inference.CustomInference', { offset: 10 });
    expect(plugin.origin).toEqual({
      plugin: 'custom_inference.CustomInference',
      where: 'inference',
      file: 'lib/custom_inference.ts',
    });
    const ctx = imageCtx([1, 2, 3, 4]);
    const out = await plugin.inference('m', ctx, { name: 'cfg' });
    expect(out).toBe(ctx);
    expect(Array.from(out.getImage('model').voxels)).toEqual([9, 8, 7, 6]);
    // The plugin's @aiaa/core is the server's: its instanceof checks see the test's classes.
    expect(out.getProperty('seen')).toEqual({ name: 'm', config: 'cfg', isContext: true, isImage: true });
  });

  it('loads a CommonJS class from module.exports with require("@aiaa/core")', async () => {
    ws.write(
      'cjs_inference.js',
      `const { TransformContext } = require('@aiaa/core');
class CjsInference {
  constructor(args) { this.factor = args.factor; }
  inference(name, data) {
    const image = data.getImage('image');
    data.setImage('model', image.with({ voxels: image.voxels.map((v) => v * this.factor) }));
    data.setProperty('isContext', data instanceof TransformContext);
    return Promise.resolve(data);
  }
}
module.exports = { CjsInference };
`,
    );
    const plugin = loader.forModel('m').loadInference('cjs_inference.CjsInference', { factor: 3 });
    const out = await plugin.inference('m', imageCtx([1, -2, 0.5]), {});
    expect(Array.from(out.getImage('model').voxels)).toEqual([3, -6, 1.5]);
    expect(out.getProperty('isContext')).toBe(true);
  });

  it('loads an .mjs module using dynamic import() of a sibling and of @aiaa/core, and import.meta.url', async () => {
    ws.write('helpers/math.mjs', 'export const double = (v) => Float32Array.from(v, (x) => 2 * x);\n');
    const file = ws.write(
      'esm_inference.mjs',
      `import { TransformContext } from '@aiaa/core';
export class EsmInference {
  async inference(name, data) {
    const { double } = await import('./helpers/math.mjs');
    const core = await import('@aiaa/core');
    data.setProperty('sameCore', core.TransformContext === TransformContext && data instanceof core.TransformContext);
    data.setProperty('url', import.meta.url);
    const image = data.getImage('image');
    data.setImage('model', image.with({ voxels: double(image.voxels) }));
  }
}
`,
    );
    const plugin = loader.forModel('m').loadInference('esm_inference.EsmInference');
    const ctx = imageCtx([1, 2, 4]);
    const out = await plugin.inference('m', ctx, {});
    // Returning nothing means "changed in place".
    expect(out).toBe(ctx);
    const voxels = out.getImage('model').voxels;
    expect(Array.from(voxels)).toEqual([2, 4, 8]);
    // Plugin code runs in the server's realm: its typed arrays are the server's Float32Array.
    expect(voxels).toBeInstanceOf(Float32Array);
    expect(out.getProperty('sameCore')).toBe(true);
    expect(out.getProperty('url')).toBe(pathToFileURL(realpathSync(file)).href);
  });

  it('finds pkg.sub.ClassName in lib/pkg/sub/index.mts', async () => {
    ws.write(
      'models/spleen/index.mts',
      `import type { TransformContext } from '@aiaa/core';
export class SpleenInference {
  constructor(private readonly args: { label: number }) {}
  inference(_name: string, data: TransformContext): TransformContext {
    data.setProperty('label', this.args.label);
    return data;
  }
}
`,
    );
    const plugin = loader.forModel('m').loadInference('models.spleen.SpleenInference', { label: 6 });
    expect(plugin.origin.file).toBe('lib/models/spleen/index.mts');
    expect((await plugin.inference('m', imageCtx([0]), {})).getProperty('label')).toBe(6);
  });
  it('loads an ES module written as a plain .js file (export syntax decides, as for a "type": "module" package)', async () => {
    ws.write(
      'legacy/ops.js',
      "export class Identity {\n  inference(name, data) { data.setProperty('by', name); return data; }\n}\n",
    );
    const plugin = loader.forModel('m').loadInference('legacy.ops.Identity');
    expect((await plugin.inference('spleen', imageCtx([0]), {})).getProperty('by')).toBe('spleen');
  });
});

describe('PluginLoader: custom transforms and writers', () => {
  const registry = new TransformRegistry(CATALOGUE);

  it('runs TS and CJS custom transforms among catalogue transforms, built by the transform registry', async () => {
    ws.write(
      'seg/tools.mts',
      `import { TransformContext } from '@aiaa/core';
export class Threshold {
  constructor(private readonly args: { min: number }) {}
  apply(ctx: TransformContext): void {
    const image = ctx.getImage('image');
    ctx.setImage('image', image.with({ voxels: Float32Array.from(image.voxels, (v) => (v >= this.args.min ? 1 : 0)) }));
  }
}
`,
    );
    ws.write(
      'custom_transforms.cjs',
      `const { offset } = require('./labels.json');
exports.AddLabel = class AddLabel {
  constructor(args) { this.value = args.value + offset; }
  call(ctx) {
    const image = ctx.getImage('image');
    ctx.setImage('image', image.with({ voxels: image.voxels.map((v) => v + this.value) }));
    return ctx;
  }
};
`,
    );
    ws.write('labels.json', '{ "offset": 1 }');
    const plugins = loader.forModel('m');
    const steps = registry.buildList(
      [
        { name: 'ScaleIntensityRange', args: { a_min: 0, a_max: 100, b_min: 0, b_max: 1 } },
        { name: 'seg.tools.Threshold', args: { min: 0.5 } },
        { name: 'custom_transforms.AddLabel', args: { value: 1 } },
      ],
      'pre_transforms',
      plugins.loadTransform,
    );
    expect(steps.map((s) => `${s.path} ${s.name}`)).toEqual([
      'pre_transforms[0] ScaleIntensityRange',
      'pre_transforms[1] seg.tools.Threshold',
      'pre_transforms[2] custom_transforms.AddLabel',
    ]);
    const ctx = imageCtx([0, 40, 50, 100]);
    for (const step of steps) {
      await step.apply(ctx);
    }
    // [0, .4, .5, 1] → threshold 0.5 → [0, 0, 1, 1] → + (value 1 + offset 1 from labels.json)
    expect(Array.from(ctx.getImage('image').voxels)).toEqual([2, 2, 3, 3]);
  });

  it('leaves names without a module part to the registry', () => {
    expect(loader.forModel('m').loadTransform('NoSuchTransform', {}, 'pre_transforms[0]')).toBeUndefined();
    expect(() =>
      registry.build({ name: 'NoSuchTransform' }, 'pre_transforms[0]', loader.forModel('m').loadTransform),
    ).toThrow("pre_transforms[0]: unknown transform 'NoSuchTransform'");
  });

  it('runs a TS writer that returns {file, json} and a JS writer that sets ctx.writerOutput', async () => {
    ws.write(
      'writers.ts',
      `import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TransformContext, WriterOutput } from '@aiaa/core';
export class CsvWriter {
  constructor(private readonly args: { file: string }) {}
  write(ctx: TransformContext): WriterOutput {
    const file = path.join(ctx.outputDir ?? '.', this.args.file);
    writeFileSync(file, Array.from(ctx.getImage('model').voxels).join(','));
    return { file, json: { voxels: ctx.getImage('model').voxels.length } };
  }
}
`,
    );
    ws.write(
      'json_writer.mjs',
      `export class JsonWriter {
  call(ctx) { ctx.writerOutput = { json: { label: ctx.getProperty('label') } }; }
}
`,
    );
    const plugins = loader.forModel('m');
    const csv = registry.build({ name: 'writers.CsvWriter', args: { file: 'out.csv' } }, 'writer', plugins.loadWriter);
    const ctx = imageCtx([0], ws.dir);
    ctx.setImage('model', makeImage(Float32Array.from([1, 0, 1]), [1, 1, 3]));
    await csv.apply(ctx);
    expect(ctx.writerOutput).toEqual({ file: path.join(ws.dir, 'out.csv'), json: { voxels: 3 } });
    expect(readFileSync(path.join(ws.dir, 'out.csv'), 'utf8')).toBe('1,0,1');

    const json = registry.build({ name: 'json_writer.JsonWriter' }, 'writer', plugins.loadWriter);
    const ctx2 = imageCtx([0]);
    ctx2.setProperty('label', 'spleen');
    await json.apply(ctx2);
    expect(ctx2.writerOutput).toEqual({ json: { label: 'spleen' } });
  });
});

describe('PluginLoader: reload and module sharing', () => {
  const source = (version: number): string =>
    `(globalThis as any).__aiaaReloadEvaluations = ((globalThis as any).__aiaaReloadEvaluations ?? 0) + 1;
export class Versioned {
  inference(_name: string, data: any) { data.setProperty('version', ${version}); return data; }
}
export class Stamp {
  apply(ctx: any) { ctx.setProperty('stamp', ${version}); }
}
`;
  const evaluations = (): unknown => (globalThis as Record<string, unknown>)['__aiaaReloadEvaluations'];

  it('picks up an edited file at the next load, while the loaded version keeps its code', async () => {
    ws.write('reload_me.ts', source(1));
    const first = loader.forModel('m').loadInference('reload_me.Versioned');
    ws.write('reload_me.ts', source(2));
    const second = loader.forModel('m').loadInference('reload_me.Versioned');
    expect((await second.inference('m', imageCtx([0]), {})).getProperty('version')).toBe(2);
    expect((await first.inference('m', imageCtx([0]), {})).getProperty('version')).toBe(1);
  });

  it('evaluates a file once per model load, and again for the next load', () => {
    ws.write('reload_me.ts', source(3));
    const before = evaluations() as number;
    const plugins = loader.forModel('m');
    plugins.loadInference('reload_me.Versioned');
    plugins.loadTransform('reload_me.Stamp', {}, 'post_transforms[0]');
    expect(evaluations()).toBe(before + 1);
    loader.forModel('m').loadInference('reload_me.Versioned');
    expect(evaluations()).toBe(before + 2);
  });
});
