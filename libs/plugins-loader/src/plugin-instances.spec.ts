import { PluginWorkspace } from '../test/support/plugin-workspace';
import { PluginError } from './plugin-error';
import { PluginInstances } from './plugin-instances';
import { PluginLoader, type ModelPlugins } from './plugin-loader';

// Each instance appends its id to the `log` array it was given in args when close() completes; close waits a turn
// first, so a close that was not awaited would be missing from the log.
const ws = new PluginWorkspace();
ws.write(
  'closing.ts',
  `interface Args { id: string; log: string[]; failClose?: boolean }
export class Closing {
  constructor(private readonly args: Args) {}
  inference(_name: string, data: unknown) { return data; }
  async close(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.args.log.push(this.args.id);
    if (this.args.failClose) { throw new Error('handle already freed'); }
  }
}
export class ClosingTransform extends Closing {
  apply() {}
}
export class NoClose {
  apply() {}
}
`,
);
const loader = new PluginLoader({ workspaceDir: ws.dir });
afterAll(() => ws.remove());

/** A model version with a closable inference, a closable transform and a transform without close(). */
function loadModel(model: string, log: string[], failClose = false): ModelPlugins {
  const plugins = loader.forModel(model);
  plugins.loadInference('closing.Closing', { id: `${model}:inference`, log, failClose });
  plugins.loadTransform('closing.ClosingTransform', { id: `${model}:transform`, log }, 'pre_transforms[0]');
  plugins.loadTransform('closing.NoClose', {}, 'pre_transforms[1]');
  return plugins;
}

describe('PluginInstances', () => {
  it('closes every instance of a deleted model exactly once', async () => {
    const log: string[] = [];
    const instances = new PluginInstances();
    const spleen = loadModel('spleen', log);
    await instances.replace(spleen);
    expect(log).toEqual([]);
    await instances.closeModel('spleen');
    expect(log.sort()).toEqual(['spleen:inference', 'spleen:transform']);
    await instances.closeModel('spleen');
    await spleen.close();
    await instances.closeAll();
    expect(log).toHaveLength(2);
    expect(instances.get('spleen')).toBeUndefined();
  });

  it('closes an inference once whether closed directly or with its model', async () => {
    const log: string[] = [];
    const plugins = loader.forModel('liver');
    const inference = plugins.loadInference('closing.Closing', { id: 'liver', log });
    await Promise.all([inference.close(), inference.close(), plugins.close()]);
    expect(log).toEqual(['liver']);
  });

  it('closes the replaced version once when a model is uploaded again, not the new one', async () => {
    const log: string[] = [];
    const instances = new PluginInstances();
    const v1 = loadModel('spleen', log);
    const v2 = loader.forModel('spleen');
    v2.loadInference('closing.Closing', { id: 'spleen-v2', log });
    await instances.replace(v1);
    await instances.replace(v2);
    expect(log.sort()).toEqual(['spleen:inference', 'spleen:transform']);
    // Installing the same version again, or another model, closes nothing of it.
    await instances.replace(v2);
    await instances.replace(loadModel('liver', log));
    expect(log).toHaveLength(2);
    expect(instances.get('spleen')).toBe(v2);
  });

  it('closes every model on shutdown, once each', async () => {
    const log: string[] = [];
    const instances = new PluginInstances();
    await instances.replace(loadModel('a', log));
    await instances.replace(loadModel('b', log));
    await instances.closeAll();
    await instances.closeAll();
    expect(log.sort()).toEqual(['a:inference', 'a:transform', 'b:inference', 'b:transform']);
  });

  it('closes the plugins built before a failed load, and refuses loads after close', async () => {
    const log: string[] = [];
    const plugins = loader.forModel('broken');
    plugins.loadInference('closing.Closing', { id: 'broken', log });
    // A plugin that exists but fails to load (a missing file names no plugin: the registry reports that one).
    expect(() => plugins.loadInference('missing_module.T', {}, 'inference')).toThrow(PluginError);
    await plugins.close();
    expect(log).toEqual(['broken']);
    expect(() => plugins.loadInference('closing.Closing')).toThrow("plugins of model 'broken' are closed");
  });

  it('closes the others when one close() fails, and reports the failure naming the plugin', async () => {
    const log: string[] = [];
    const instances = new PluginInstances();
    await instances.replace(loadModel('bad', log, true));
    await instances.replace(loadModel('good', log));
    await expect(instances.closeAll()).rejects.toMatchObject({
      name: 'PluginError',
      kind: 'internal',
      message: 'inference: closing.Closing: close() failed: handle already freed',
    });
    expect(log.sort()).toEqual(['bad:inference', 'bad:transform', 'good:inference', 'good:transform']);
  });
});
