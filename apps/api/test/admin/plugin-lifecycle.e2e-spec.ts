import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { TransformContext } from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { ModelRuntimeService } from '../../src/runtime/model-runtime.service';
import { configPart, putModel, type ErrorBody } from '../support/admin-client';
import { useTestApp } from '../support/test-app';

// Real servers, SQLite and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

// A user's inference class in <workspace>/lib: it logs every run and close to a file, so the test sees the order.
const PLUGIN = `
import * as fs from 'node:fs';
import { Inference } from '@aiaa/inference';

export class RecordingInference extends Inference {
  constructor(args) {
    super();
    if (args.failInConstructor) {
      throw new Error('constructor refused: ' + args.tag);
    }
    this.args = args;
  }

  async inference(name, data, config) {
    fs.appendFileSync(this.args.log, 'run ' + this.args.tag + '\\n');
    // A gate: the run holds until the test creates this file (at most 20 s).
    for (let i = 0; this.args.gate && !fs.existsSync(this.args.gate) && i < 1000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const image = data.getImage(config.getInferenceInput());
    const out = new Float32Array(image.voxels.length);
    for (let i = 0; i < out.length; i++) {
      out[i] = image.voxels[i] * this.args.factor;
    }
    data.setImage(config.getInferenceOutput(), image.with({ voxels: out }));
    fs.appendFileSync(this.args.log, 'end ' + this.args.tag + '\\n');
    return data;
  }

  async close() {
    fs.appendFileSync(this.args.log, 'close ' + this.args.tag + '\\n');
  }
}
`;

/** Polls `done` every 10 ms, at most 2 s. */
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await done()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each([
  ['on the main thread (--workers 0)', 0],
  ['in a worker thread (--workers 1)', 1],
])(
  'plugin models through /admin/model, %s: loaded before commit, old version serving until replaced, closed once',
  (_where, workers) => {
    let log: string;
    let gate: string;
    const server = useTestApp({ workers }, async (workspace) => {
      log = path.join(workspace, 'events.log');
      gate = path.join(workspace, 'gate');
      await fs.mkdir(path.join(workspace, 'lib'), { recursive: true });
      await fs.writeFile(path.join(workspace, 'lib', 'recording.js'), PLUGIN);
    });

    const config = (tag: string, args: Record<string, unknown> = {}) =>
      configPart({
        version: tag,
        type: 'others',
        labels: ['x'],
        inference: { name: 'recording.RecordingInference', args: { log, tag, factor: 2, ...args } },
      });
    const events = async () => (await fs.readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
    const run = (value: number) => {
      const ctx = new TransformContext({ images: [['image', makeImage(Float32Array.of(value, 1), [1, 1, 2])]] });
      return server.app.get(ModelRuntimeService).get('rec').run(ctx);
    };

    it('installs a config naming a user inference class and runs it', async () => {
      const res = await putModel(server.base, 'rec', { config: config('1') });
      expect(res.status).toBe(200);
      const result = await run(3);
      expect(Array.from(result.ctx.getImage('model').voxels)).toEqual([6, 2]);
      expect(await events()).toEqual(['run 1', 'end 1']);
    });

    it('a plugin whose constructor throws gives 400 naming the plugin; version 1 keeps serving, not closed', async () => {
      const res = await putModel(server.base, 'rec', { config: config('2', { failInConstructor: true }) });
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.message).toContain('recording.RecordingInference');
      expect(body.message).toContain('constructor refused: 2');
      expect(server.app.get(ModelRuntimeService).get('rec').info.version).toBe('1');
      expect(await events()).toEqual(['run 1', 'end 1']);
    });

    it('a missing plugin class gives 400 naming the plugin and leaves version 1', async () => {
      const res = await putModel(server.base, 'rec', {
        config: configPart({ type: 'others', inference: { name: 'recording.NoSuchClass', args: {} } }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).message).toContain('NoSuchClass');
      expect(server.app.get(ModelRuntimeService).get('rec').info.version).toBe('1');
    });

    it('a replace during a run: the upload answers at once, the run finishes on the old version, which then closes once', async () => {
      await fs.rm(log, { force: true });
      const slow = await putModel(server.base, 'rec', { config: config('3', { gate }) });
      expect(slow.status).toBe(200);
      await fs.rm(log, { force: true });
      const inFlight = run(5);
      await waitFor(async () => (await events()).includes('run 3'));
      const res = await putModel(server.base, 'rec', { config: config('4', { factor: 10 }) });
      expect(res.status).toBe(200);
      // The upload answered while version 3 was still running: it did not wait for the run.
      expect(await events()).toEqual(['run 3']);
      await fs.writeFile(gate, '');
      const result = await inFlight;
      expect(Array.from(result.ctx.getImage('model').voxels)).toEqual([10, 2]);
      await waitFor(async () => (await events()).length === 3);
      expect(await events()).toEqual(['run 3', 'end 3', 'close 3']);
      const next = await run(5);
      expect(Array.from(next.ctx.getImage('model').voxels)).toEqual([50, 10]);
    });

    it('DELETE closes the plugin exactly once', async () => {
      await fs.rm(log, { force: true });
      expect((await fetch(`${server.base}/admin/model/rec`, { method: 'DELETE' })).status).toBe(200);
      expect(await events()).toEqual(['close 4']);
      expect(server.app.get(ModelRuntimeService).has('rec')).toBe(false);
    });

    it('re-uploading after editing the plugin file picks up the new code without a restart', async () => {
      await fs.writeFile(
        path.join(server.workspace, 'lib', 'recording.js'),
        PLUGIN.replace('* this.args.factor', '* this.args.factor + 1'),
      );
      expect((await putModel(server.base, 'rec', { config: config('5') })).status).toBe(200);
      const result = await run(3);
      expect(Array.from(result.ctx.getImage('model').voxels)).toEqual([7, 3]);
    });
  },
);
