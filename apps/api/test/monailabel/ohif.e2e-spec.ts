import * as fs from 'node:fs/promises';
import * as nrrd from 'nrrd-js';
import { useTestApp } from '../support/test-app';
import { SPLEEN_AFFINE, SPLEEN_CT, copyDemoModels } from './monailabel-support';

// Real servers decoding a 512×512×32 CT on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

const OHIF_ORIGIN = 'http://ohif.example:3000';

/** The body and headers OHIF's MonaiLabelClient sends for a PUT/POST through axios (FormData, `accept` as a list). */
const AXIOS_ACCEPT = 'application/json,multipart/form-data';

describe("OHIF's monai-label extension: a browser client on another origin", () => {
  const t = useTestApp({ corsOrigins: OHIF_ORIGIN }, (workspace) => copyDemoModels(workspace, ['spleen_ct_threshold']));

  beforeAll(async () => {
    // The image OHIF names by SeriesInstanceUID; stored here by id (DICOMweb resolution is a datastore of its own).
    const form = new FormData();
    form.append('params', '{}');
    form.append('file', new Blob([await fs.readFile(SPLEEN_CT)]), 'spleen_8_ct.nii.gz');
    const put = await fetch(`${t.base}/datastore/?image=1.2.826.0.1.3680043.8.498.8`, { method: 'PUT', body: form });
    expect(put.status).toBe(200);
  }, 60_000);

  it('answers output=image with a raw uint8 NRRD that nrrd-js reads on the image grid', async () => {
    const params = {
      result_extension: '.nrrd',
      result_dtype: 'uint8',
      result_compress: false,
      restore_label_idx: false,
    };
    const form = new FormData();
    form.append('params', JSON.stringify(params));
    const url = new URL('infer/spleen_ct_threshold', `${t.base}/`);
    url.searchParams.append('image', '1.2.826.0.1.3680043.8.498.8');
    url.searchParams.append('output', 'image');
    const res = await fetch(url, {
      method: 'POST',
      body: form,
      headers: { accept: AXIOS_ACCEPT, origin: OHIF_ORIGIN },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(OHIF_ORIGIN);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="result.nrrd"');
    const file = nrrd.parse(await res.arrayBuffer());
    expect(file).toMatchObject({ type: 'uint8', encoding: 'raw', space: 'left-posterior-superior' });
    expect(file.sizes).toEqual([512, 512, 32]);
    expect(file.data.length).toBe(512 * 512 * 32);
    const lps = [-1, -1, 1];
    expect(file.spaceDirections).toEqual(
      [0, 1, 2].map((axis) => SPLEEN_AFFINE.map((row, r) => (row[axis] as number) * (lps[r] as number) + 0)),
    );
    expect(file.spaceOrigin).toEqual(SPLEEN_AFFINE.map((row, r) => (row[3] as number) * (lps[r] as number)));
    const counts = new Map<number, number>();
    for (let i = 0; i < file.data.length; i++) {
      const v = file.data[i] as number;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([0, 1]);
    expect(counts.get(1)).toBeGreaterThan(100_000);
  }, 60_000);

  it('answers preflights for PUT and JSON POST from the allowed origin only, and never on admin routes', async () => {
    const preflight = (path: string, method: string, origin: string): Promise<Response> =>
      fetch(`${t.base}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
      });
    const put = await preflight('/datastore/label?image=x', 'PUT', OHIF_ORIGIN);
    expect(put.status).toBe(204);
    expect(put.headers.get('access-control-allow-origin')).toBe(OHIF_ORIGIN);
    expect(put.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(put.headers.get('access-control-allow-headers')).toBe('content-type');
    const post = await preflight('/activelearning/random', 'POST', OHIF_ORIGIN);
    expect(post.status).toBe(204);
    expect(post.headers.get('access-control-allow-methods')).toContain('POST');

    const stranger = await preflight('/infer/spleen_ct_threshold', 'POST', 'http://elsewhere.example');
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await stranger.json()) as { message: string }).message).toMatch(/--cors_origins/);

    const admin = await preflight('/admin/model/x', 'PUT', OHIF_ORIGIN);
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
    const adminGet = await fetch(`${t.base}/admin/model`, { headers: { origin: OHIF_ORIGIN } });
    expect(adminGet.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets OHIF read /info/ and ask for the next sample with a JSON body', async () => {
    const info = await fetch(`${t.base}/info/`, { headers: { origin: OHIF_ORIGIN } });
    expect(info.headers.get('access-control-allow-origin')).toBe(OHIF_ORIGIN);
    const body = (await info.json()) as { labels: unknown; models: Record<string, { type: string; labels: unknown }> };
    expect(Array.isArray(body.labels)).toBe(true);
    expect(body.models['spleen_ct_threshold']).toMatchObject({ type: 'segmentation', labels: ['spleen'] });
    const next = await fetch(`${t.base}/activelearning/random`, {
      method: 'POST',
      headers: { origin: OHIF_ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({
      id: '1.2.826.0.1.3680043.8.498.8',
      name: '1.2.826.0.1.3680043.8.498.8.nii.gz',
    });
  });
});

describe('CORS by default: same-origin only', () => {
  const t = useTestApp();

  it('sends no CORS header and refuses preflights from any origin', async () => {
    const info = await fetch(`${t.base}/info/`, { headers: { origin: 'http://ohif.example:3000' } });
    expect(info.status).toBe(200);
    expect(info.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${t.base}/infer/m`, {
      method: 'OPTIONS',
      headers: { origin: 'http://ohif.example:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
  });

  it("allows every origin with '*', said explicitly", async () => {
    await t.restart({ corsOrigins: '*' });
    const info = await fetch(`${t.base}/info/`, { headers: { origin: 'http://any.example' } });
    expect(info.headers.get('access-control-allow-origin')).toBe('*');
  }, 60_000);
});
