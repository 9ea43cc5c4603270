import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { useTestApp } from '../support/test-app';
import { SPLEEN_CT, copyDemoModels } from './monailabel-support';

// Real servers decoding a 512×512×32 CT on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

interface ErrorBody {
  statusCode: number;
  message: string;
}

describe('MONAI Label routes refuse bad input with a 4xx that says what is wrong', () => {
  const t = useTestApp({}, (workspace) => copyDemoModels(workspace, ['deepgrow_ct_window']));
  let ct: Buffer;

  const infer = async (model: string, query: string, params: unknown): Promise<{ status: number; body: ErrorBody }> => {
    const form = new FormData();
    form.append('params', JSON.stringify(params));
    const res = await fetch(`${t.base}/infer/${model}?${query}`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as ErrorBody };
  };
  const putImage = async (id: string): Promise<{ status: number; body: ErrorBody }> => {
    const form = new FormData();
    form.append('params', '{}');
    form.append('file', new Blob([ct]), 'ct.nii.gz');
    const res = await fetch(`${t.base}/datastore/?image=${encodeURIComponent(id)}`, { method: 'PUT', body: form });
    return { status: res.status, body: (await res.json()) as ErrorBody };
  };

  beforeAll(async () => {
    ct = await fs.readFile(SPLEEN_CT);
    expect((await putImage('spleen_8')).status).toBe(200);
  }, 60_000);

  it('answers an unknown model or image with 404 and the error JSON naming it', async () => {
    expect(await infer('no_such_model', 'image=spleen_8', {})).toEqual({
      status: 404,
      body: expect.objectContaining({ statusCode: 404, message: "model 'no_such_model' is not loaded" }),
    });
    expect(await infer('deepgrow_ct_window', 'image=nobody', {})).toEqual({
      status: 404,
      body: expect.objectContaining({ message: "datastore: image 'nobody' not found" }),
    });
    const label = await fetch(`${t.base}/datastore/label?label=spleen_8&tag=final`);
    expect(label.status).toBe(404);
    expect(((await label.json()) as ErrorBody).message).toBe("datastore: label 'final' of image 'spleen_8' not found");
    expect((await fetch(`${t.base}/datastore/image?image=nobody`, { method: 'HEAD' })).status).toBe(404);
  });

  it('answers bad params with 400 naming the param', async () => {
    const outside = await infer('deepgrow_ct_window', 'image=spleen_8', { foreground: [[600, 10, 10]] });
    expect(outside.status).toBe(400);
    expect(outside.body.message).toMatch(/^params\.foreground\[0\]: \[600, 10, 10\] lies outside the image/);
    const extension = await infer('deepgrow_ct_window', 'image=spleen_8', {
      foreground: [[10, 10, 10]],
      result_extension: '.png',
    });
    expect(extension.status).toBe(400);
    expect(extension.body.message).toMatch(/params\.result_extension "\.png"/);
    const roi = await infer('deepgrow_ct_window', 'image=spleen_8', {
      foreground: [[10, 10, 10]],
      roi: [5, 1, 0, 9, 0, 9],
    });
    expect(roi).toMatchObject({ status: 400, body: { message: 'params.roi: imin 5 exceeds imax 1' } });
    const notJson = new FormData();
    notJson.append('params', '{oops');
    const res = await fetch(`${t.base}/infer/deepgrow_ct_window?image=spleen_8`, { method: 'POST', body: notJson });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).message).toMatch(/^multipart field 'params': not valid JSON/);
    const noImage = await infer('deepgrow_ct_window', '', {});
    expect(noImage).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^no image to run on/) } });
  });

  it("refuses ids and tags holding '..' or a separator with 400, and writes nothing outside the datastore", async () => {
    for (const id of ['..', '../escape', 'a..b', 'x/y']) {
      const put = await putImage(id);
      expect(put.status).toBe(400);
      expect(put.body.message).toMatch(/^image id ".*": contains/);
    }
    expect((await infer('deepgrow_ct_window', `image=${encodeURIComponent('../spleen_8')}`, {})).status).toBe(400);
    const download = await fetch(`${t.base}/datastore/label?label=spleen_8&tag=..`);
    expect(download.status).toBe(400);
    expect(((await download.json()) as ErrorBody).message).toBe(`label tag "..": contains '..'`);
    const entries = await fs.readdir(t.workspace);
    expect(entries.filter((name) => name.includes('escape'))).toEqual([]);
    expect((await fs.readdir(path.join(t.workspace, 'datastore'))).sort()).toEqual(['spleen_8.nii.gz']);
  });

  it('refuses uploads that are not what the route stores', async () => {
    const form = new FormData();
    form.append('params', '{}');
    form.append('file', new Blob([Buffer.from('not an image at all')]), 'notes.txt');
    const notNifti = await fetch(`${t.base}/datastore/?image=notes`, { method: 'PUT', body: form });
    expect(notNifti.status).toBe(400);
    expect(((await notNifti.json()) as ErrorBody).message).toMatch(/^multipart file part 'file' \(notes\.txt\)/);
    const label = new FormData();
    label.append('params', '{}');
    label.append('label', new Blob([new Uint8Array(10)]), 'label.bin');
    const bin = await fetch(`${t.base}/datastore/label?image=spleen_8`, { method: 'PUT', body: label });
    expect(bin.status).toBe(400);
    expect(((await bin.json()) as ErrorBody).message).toMatch(/512×512×32 = 8388608 bytes; got 10$/);
    const wrongPart = new FormData();
    wrongPart.append('datapoint', new Blob([ct]), 'ct.nii.gz');
    const wrong = await fetch(`${t.base}/datastore/?image=x`, { method: 'PUT', body: wrongPart });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as ErrorBody).message).toMatch(
      /^multipart file part 'datapoint' is not accepted here/,
    );
  });

  it('saves an OHIF .bin label as NIfTI on the image grid, and an inference result as original with save_label', async () => {
    const voxels = new Uint8Array(512 * 512 * 32);
    voxels[3 + 512 * (4 + 512 * 5)] = 1;
    const label = new FormData();
    label.append('params', '{}');
    label.append('label', new Blob([voxels]), 'label.bin');
    const saved = await fetch(`${t.base}/datastore/label?image=spleen_8&tag=final`, { method: 'PUT', body: label });
    expect(saved.status).toBe(200);
    const back = await fetch(`${t.base}/datastore/label?label=spleen_8&tag=final`);
    expect(back.headers.get('content-disposition')).toBe('attachment; filename="spleen_8.nii.gz"');

    const result = await infer('deepgrow_ct_window', 'image=spleen_8&output=json', {
      foreground: [[129, 219, 18]],
      save_label: true,
    });
    expect(result.status).toBe(200);
    const listing = (await (await fetch(`${t.base}/datastore/?output=all`)).json()) as {
      objects: Record<string, { labels: Record<string, { ext: string; info: { model: string; params: unknown } }> }>;
    };
    const original = listing.objects['spleen_8']?.labels['original'];
    expect(original?.ext).toBe('.nii.gz');
    expect(original?.info.model).toBe('deepgrow_ct_window');
    expect(original?.info.params).toMatchObject({ label_names: [] });
    expect(await (await fetch(`${t.base}/datastore/`)).json()).toEqual({
      total: 1,
      completed: 1,
      label_tags: { final: 1, original: 1 },
    });
  }, 60_000);
});
