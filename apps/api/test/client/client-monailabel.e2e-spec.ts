import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { createAiaaClient, filePart, readMultipartReply, type AiaaClient } from '@aiaa/client';
import { SPLEEN_CT, SPLEEN_LABEL, copyDemoModels } from '../monailabel/monailabel-support';
import { niftiVoxels, nonzeroVoxels } from '../support/nifti-voxels';
import { useTestApp } from '../support/test-app';

// Real models on the real spleen CT (512×512×32) in a worker thread, on a shared 2-core machine.
jest.setTimeout(60_000);

// Clicks [i, j, k] on the spleen CT: inside the expert spleen on slice 14, and 40 voxels beside it outside the label
// in tissue of the same Hounsfield window (see tools/src/demo-models).
const FOREGROUND = [106, 229, 14];
const BACKGROUND = [146, 229, 14];
const at = ([i, j, k]: readonly number[]): number => ((k ?? 0) * 512 + (j ?? 0)) * 512 + (i ?? 0);
const sha256 = (bytes: Uint8Array): string => `SHA256:${createHash('sha256').update(bytes).digest('hex')}`;

describe("@aiaa/client drives MONAI Label's routes of the real server (datastore, infer, active learning)", () => {
  // The model runs in a worker thread, as `npm start` runs it: the event loop this test shares stays free.
  const server = useTestApp({ workers: 1 }, (workspace) => copyDemoModels(workspace, ['deepgrow_ct_window']));
  let aiaa: AiaaClient;
  beforeAll(() => {
    aiaa = createAiaaClient({ baseUrl: server.base });
  });

  it('monaiLabelInfo and monaiLabelAuth: the model by its MONAI Label type, the strategies, auth off', async () => {
    const { data } = await aiaa.GET('/info');
    expect(data?.models['deepgrow_ct_window']).toMatchObject({ type: 'deepgrow', dimension: 3 });
    expect(Object.keys(data?.strategies ?? {}).sort()).toEqual(['first', 'random']);
    expect(data?.datastore).toMatchObject({ total: 0, completed: 0 });
    expect((await aiaa.GET('/auth')).data).toEqual({ enabled: false });
  });

  it('the training routes answer 404 (no task) and 501 (not offered) with the Error body', async () => {
    const status = await aiaa.GET('/train');
    const start = await aiaa.POST('/train');
    const startModel = await aiaa.POST('/train/{model}', { params: { path: { model: 'deepgrow_ct_window' } } });
    const stop = await aiaa.DELETE('/train');
    expect([status, start, startModel, stop].map((r) => [r.response.status, r.error?.kind])).toEqual([
      [404, 'not-found'],
      [501, 'http'],
      [501, 'http'],
      [404, 'not-found'],
    ]);
  });

  it('putImageAtRoot and putImage store the CT; hasImage checks it; getImage answers its bytes', async () => {
    const root = await aiaa.PUT('/datastore', {
      params: { query: { image: 'spleen_8' } },
      body: { params: { client_id: 'e2e' }, file: await filePart(SPLEEN_CT) },
    });
    expect(root.data).toEqual({ image: 'spleen_8' });
    const other = await aiaa.PUT('/datastore/image', {
      params: { query: { image: 'spleen_8b' } },
      body: { file: await filePart(SPLEEN_CT) },
    });
    expect(other.data).toEqual({ image: 'spleen_8b' });
    const ct = await fs.readFile(SPLEEN_CT);
    const head = await aiaa.HEAD('/datastore/image', {
      params: { query: { image: 'spleen_8', check_sum: sha256(ct) } },
    });
    expect(head.response.status).toBe(200);
    const changed = await aiaa.HEAD('/datastore/image', {
      params: { query: { image: 'spleen_8', check_sum: sha256(Buffer.from('other')) } },
    });
    expect(changed.response.status).toBe(404);
    const file = await aiaa.GET('/datastore/image', {
      params: { query: { image: 'spleen_8' } },
      parseAs: 'arrayBuffer',
    });
    expect(Buffer.from(file.data as ArrayBuffer).equals(ct)).toBe(true);
  });

  it('monaiLabelInfer: deepgrow on a datastore image keeps the foreground click and drops the background one', async () => {
    const { response, error } = await aiaa.POST('/infer/{model}', {
      params: { path: { model: 'deepgrow_ct_window' }, query: { image: 'spleen_8' } },
      body: { params: { foreground: [FOREGROUND], background: [BACKGROUND], result_extension: '.nii.gz' } },
      parseAs: 'stream',
    });
    expect(error).toBeUndefined();
    const reply = await readMultipartReply(response);
    expect(reply.filename).toBe('result.nii.gz');
    expect(reply.params).toMatchObject({ label_names: [], latencies: { total: expect.any(Number) } });
    const mask = niftiVoxels(reply.image);
    expect(mask.dims).toEqual([512, 512, 32]);
    expect([mask.bytes[at(FOREGROUND)], mask.bytes[at(BACKGROUND)]]).toEqual([1, 0]);
    expect(nonzeroVoxels(mask)).toBeGreaterThan(1000);
  });

  it('putLabel, hasLabel, getLabel: the expert label saved as final, with its checksum; nextSample skips it', async () => {
    const { data: saved } = await aiaa.PUT('/datastore/label', {
      params: { query: { image: 'spleen_8', tag: 'final' } },
      body: { params: { label_info: [{ name: 'spleen', idx: 1 }] }, label: await filePart(SPLEEN_LABEL) },
    });
    expect(saved).toMatchObject({ image: 'spleen_8', label: 'spleen_8', tag: 'final' });
    expect((await aiaa.HEAD('/datastore/label', { params: { query: { image: 'spleen_8' } } })).response.status).toBe(
      200,
    );
    const label = await aiaa.GET('/datastore/label', {
      params: { query: { label: 'spleen_8', tag: 'final' } },
      parseAs: 'arrayBuffer',
    });
    expect(sha256(new Uint8Array(label.data as ArrayBuffer))).toBe(saved?.checksum);
    // The one JSON body of the server: sent as JSON, not as a form.
    const next = await aiaa.POST('/activelearning/{strategy}', {
      params: { path: { strategy: 'first' } },
      body: { client_id: 'e2e' },
      bodySerializer: (body) => JSON.stringify(body),
    });
    expect(next.data).toMatchObject({
      id: 'spleen_8b',
      strategy: 'first',
      checksum: sha256(await fs.readFile(SPLEEN_CT)),
    });
    const { data: pairs } = await aiaa.GET('/datastore', { params: { query: { output: 'train' } } });
    expect(Array.isArray(pairs) && pairs.length).toBe(1);
    const { data: stats } = await aiaa.GET('/datastore');
    expect(stats).toMatchObject({ total: 2, completed: 1, label_tags: { final: 1 } });
  });

  it('deleteLabel, deleteImage and deleteImageAtRoot empty the datastore; a removed image is 404', async () => {
    expect(
      (await aiaa.DELETE('/datastore/label', { params: { query: { id: 'spleen_8', tag: 'final' } } })).data,
    ).toEqual({});
    expect((await aiaa.DELETE('/datastore/image', { params: { query: { id: 'spleen_8b' } } })).data).toEqual({});
    expect((await aiaa.DELETE('/datastore', { params: { query: { id: 'spleen_8' } } })).data).toEqual({});
    const { data: listing } = await aiaa.GET('/datastore', { params: { query: { output: 'all' } } });
    expect(listing).toMatchObject({ objects: {} });
    const gone = await aiaa.GET('/datastore/image', { params: { query: { image: 'spleen_8' } } });
    expect([gone.response.status, gone.error?.kind]).toEqual([404, 'not-found']);
  });
});
