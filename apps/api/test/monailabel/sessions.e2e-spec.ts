import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { hasPythonCgi, hasPythonModules } from '../support/python-client';
import { useTestApp } from '../support/test-app';
import { SPLEEN_CT, copyDemoModels, runClientScript } from './monailabel-support';

// Real servers decoding a 512×512×32 CT on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

interface SessionReport {
  create: { status: number; body: Record<string, unknown> & { session_info: Record<string, unknown> } };
  infer: { part_filename: string; sizes: number[]; label_names: string[] };
  infer_file: { part_filename: string };
  get: { status: number; body: Record<string, unknown> };
  remove: { status: number };
  after_remove: { status: number; body: { statusCode: number } };
}

const canRun = hasPythonCgi() && hasPythonModules('requests');

describe('PUT /session/ in both forms on one route', () => {
  const t = useTestApp({}, (workspace) => copyDemoModels(workspace, ['spleen_ct_threshold']));

  // Skipped without python3's cgi and requests, which MONAI Label's Python client needs.
  (canRun ? it : it.skip)(
    "serves MONAI Label's Python client: create_session (files parts), infer on it, get, remove, then 440",
    async () => {
      const workdir = await fs.mkdtemp(path.join(t.workspace, 'client-'));
      const report = (await runClientScript('session', t.base, workdir)) as SessionReport;
      expect(report.create.status).toBe(200);
      expect(report.create.body).toMatchObject({ name: 'spleen_8_ct.nii.gz', size_bytes: expect.any(Number) });
      expect(report.create.body.session_info).toMatchObject({
        name: 'spleen_8_ct.nii.gz',
        meta: { size: [512, 512, 32], dtype: 'int16' },
        expiry: 3600,
      });
      expect(report.infer).toEqual({ part_filename: 'result.nrrd', sizes: [512, 512, 32], label_names: ['spleen'] });
      expect(report.infer_file.part_filename).toBe('result.nii.gz');
      expect(report.get).toMatchObject({ status: 200, body: { session_id: report.create.body['session_id'] } });
      expect(report.remove.status).toBe(200);
      expect(report.after_remove).toMatchObject({ status: 440, body: { statusCode: 440 } });
    },
    120_000,
  );

  it("keeps AIAA's form and reply, and refuses the two forms mixed or archives to unpack", async () => {
    const ct = await fs.readFile(SPLEEN_CT);
    const aiaa = new FormData();
    aiaa.append('image', new Blob([ct]), 'ct.nii.gz');
    const created = await fetch(`${t.base}/session/`, { method: 'PUT', body: aiaa });
    expect(created.status).toBe(200);
    const body = (await created.json()) as Record<string, unknown>;
    expect(body['session_id']).toEqual(expect.any(String));
    expect(body).not.toHaveProperty('session_info');

    const mixed = new FormData();
    mixed.append('files', new Blob([ct]), 'a.nii.gz');
    mixed.append('image', new Blob([ct]), 'b.nii.gz');
    const refused = await fetch(`${t.base}/session/`, { method: 'PUT', body: mixed });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/not both$/);

    const archive = new FormData();
    archive.append('files', new Blob([ct]), 'ct.nii.gz');
    const unpack = await fetch(`${t.base}/session/?uncompress=true`, { method: 'PUT', body: archive });
    expect(unpack.status).toBe(400);
    expect(((await unpack.json()) as { message: string }).message).toMatch(/^query parameter 'uncompress'/);
  }, 60_000);
});
