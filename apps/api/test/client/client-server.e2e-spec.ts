import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { createAiaaClient, filePart, readMultipartReply, type AiaaClient } from '@aiaa/client';
import { DT_UINT8, readTestNifti, writeTestNifti } from '../support/inference-helpers';
import { demoModelDir } from '../support/demo-models';
import { REPO_ROOT } from '../support/server-process';
import { useTestApp } from '../support/test-app';

// Real servers, SQLite and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(60_000);

const TOKEN = 'client-e2e-token';
const MODEL_DIR = demoModelDir('spleen_ct_threshold');

/** Slice k of a volume (i fastest) as rows j of '#' (non-zero) and '.', one character per i. */
function sliceRows(voxels: number[], [sizeX, sizeY]: number[], k: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y < (sizeY ?? 0); y++) {
    const start = (k * (sizeY ?? 0) + y) * (sizeX ?? 0);
    rows.push(
      voxels
        .slice(start, start + (sizeX ?? 0))
        .map((v) => (v ? '#' : '.'))
        .join(''),
    );
  }
  return rows;
}

describe('@aiaa/client drives the polygon, admin and server routes of the real server', () => {
  // Loopback is not an admin host here: the admin routes answer only to the token.
  const server = useTestApp({ adminHosts: '192.0.2.1', adminToken: TOKEN });
  let aiaa: AiaaClient;
  beforeAll(() => {
    aiaa = createAiaaClient({ baseUrl: server.base });
  });

  describe('mask2polygon and fixpolygon: a 3×3 square traced, one corner moved, painted back', () => {
    // 6×6×2 uint8: slice 0 empty, slice 1 a 3×3 block at i 1..3, j 1..3.
    const voxels = new Uint8Array(72);
    for (let y = 1; y <= 3; y++) {
      voxels.fill(1, 36 + y * 6 + 1, 36 + y * 6 + 4);
    }
    const mask = writeTestNifti({ dims: [6, 6, 2], datatype: DT_UINT8, voxels });
    // Vertex [x, y] is voxel (i = y, j = x), each ring counter-clockwise with y down, as the official client reads them.
    const square = [
      [1, 1],
      [1, 3],
      [3, 3],
      [3, 1],
    ];

    it('maskToPolygon outlines the block from its corner (1, 1), counter-clockwise, corners only', async () => {
      const { data, error } = await aiaa.POST('/v1/mask2polygon', {
        body: { params: { more_points: 0 }, datapoint: await filePart(mask, 'mask.nii') },
      });
      expect(error).toBeUndefined();
      expect(data).toEqual([[], [square]]);
    });

    it('fixPolygon moves the corner (3, 3) right by one and paints the polygons on the reference grid', async () => {
      const { response, error } = await aiaa.POST('/v1/fixpolygon', {
        body: {
          params: {
            poly: [[], [square]],
            slice_index: 1,
            polygon_index: 0,
            vertex_index: 2,
            vertex_offset: [1, 0],
          },
          datapoint: await filePart(mask, 'mask.nii'),
        },
        parseAs: 'stream',
      });
      expect(error).toBeUndefined();
      const reply = await readMultipartReply(response);
      const moved = [square[0], square[1], [4, 3], square[3]];
      expect(reply.params).toEqual({ poly: [[], [moved]] });
      expect(reply.filename).toBe('result.nii.gz');
      const painted = readTestNifti(reply.image);
      expect(painted.dims).toEqual([6, 6, 2]);
      expect(sliceRows(painted.voxels, [6, 6], 0)).toEqual(Array(6).fill('......'));
      // In (x, y): rows y = 1, 2 keep x 1..3 (the edge (4, 3)–(3, 1) passes x = 3.5 at y = 2), row y = 3 reaches
      // x = 4. Printed by voxel rows j = x, columns i = y: the new row j = 4 holds i = 3 alone.
      expect(sliceRows(painted.voxels, [6, 6], 1)).toEqual([
        '......',
        '.###..',
        '.###..',
        '.###..',
        '...#..',
        '......',
      ]);
    });
  });

  describe('admin: put, get and delete a model with the token; 403 without it', () => {
    const admin = (): AiaaClient => createAiaaClient({ baseUrl: server.base, adminToken: TOKEN });

    it('refuses a client without the token with 403, naming why', async () => {
      const { error, response } = await aiaa.GET('/admin/model');
      expect(response.status).toBe(403);
      expect(error?.kind).toBe('http');
      expect(error?.message).toContain('no admin token given');
    });

    it('putModel installs the config and the model file, answering the registry record', async () => {
      const onnx = await fs.readFile(path.join(MODEL_DIR, 'model.onnx'));
      const { data, error } = await admin().PUT('/admin/model/{name}', {
        params: { path: { name: 'spleen_copy' } },
        body: {
          config: await filePart(path.join(MODEL_DIR, 'config_aiaa.json')),
          data: await filePart(path.join(MODEL_DIR, 'model.onnx')),
        },
      });
      expect(error).toBeUndefined();
      expect(data).toMatchObject({
        name: 'spleen_copy',
        type: 'segmentation',
        version: '3',
        labels: ['spleen'],
        engine: 'AIAA',
        modelFile: 'model.onnx',
        sha256: createHash('sha256').update(onnx).digest('hex'),
        loaded: true,
      });
      const { data: listed } = await aiaa.GET('/v1/models', { params: { query: { model: 'spleen_copy' } } });
      expect(listed).toMatchObject({ name: 'spleen_copy', type: 'segmentation', labels: ['spleen'] });
    });

    it('listModelRecords and getModelConfig answer the record and the config as uploaded', async () => {
      const { data: records } = await admin().GET('/admin/model');
      expect(records?.map((r) => [r.name, r.activeVersion, r.versions])).toEqual([['spleen_copy', 1, [1]]]);
      const { data: config } = await admin().GET('/admin/model/{name}', { params: { path: { name: 'spleen_copy' } } });
      expect(config).toEqual({
        ...(JSON.parse(await fs.readFile(path.join(MODEL_DIR, 'config_aiaa.json'), 'utf8')) as object),
        active_version: 1,
        versions: [1],
      });
    });

    it('a second putModel is version 2; listModelVersions, activateModelVersion and a version delete roll it back', async () => {
      const second = await admin().PUT('/admin/model/{name}', {
        params: { path: { name: 'spleen_copy' } },
        body: {
          config: await filePart(path.join(MODEL_DIR, 'config_aiaa.json')),
          data: await filePart(path.join(MODEL_DIR, 'model.onnx')),
        },
      });
      expect([second.data?.activeVersion, second.data?.versions]).toEqual([2, [1, 2]]);
      const { data: kept } = await admin().GET('/admin/model/{name}/versions', {
        params: { path: { name: 'spleen_copy' } },
      });
      expect(kept?.versions.map((v) => [v.version, v.active, v.origin])).toEqual([
        [2, true, 'upload'],
        [1, false, 'upload'],
      ]);
      const rolledBack = await admin().PUT('/admin/model/{name}/active', {
        params: { path: { name: 'spleen_copy' } },
        body: { version: 1 },
        // A JSON body, as the client's documentation says for the few routes that take one.
        bodySerializer: (body) => JSON.stringify(body),
      });
      expect([rolledBack.response.status, rolledBack.error?.message, rolledBack.data?.activeVersion]).toEqual([
        200,
        undefined,
        1,
      ]);
      const { data: listed } = await aiaa.GET('/v1/models', { params: { query: { model: 'spleen_copy' } } });
      expect(listed).toMatchObject({ name: 'spleen_copy', active_version: 1 });
      const removed = await admin().DELETE('/admin/model/{name}', {
        params: { path: { name: 'spleen_copy' }, query: { version: 2 } },
      });
      expect(removed.data).toMatchObject({ version: 2, active: false });
      const active = await admin().DELETE('/admin/model/{name}', {
        params: { path: { name: 'spleen_copy' }, query: { version: 1 } },
      });
      expect([active.response.status, active.error?.kind]).toEqual([409, 'conflict']);
    });

    it('deleteModel removes it: the record comes back unloaded, then the config is 404', async () => {
      const { data } = await admin().DELETE('/admin/model/{name}', { params: { path: { name: 'spleen_copy' } } });
      expect(data).toMatchObject({ name: 'spleen_copy', loaded: false });
      const gone = await admin().GET('/admin/model/{name}', { params: { path: { name: 'spleen_copy' } } });
      expect([gone.response.status, gone.error?.kind, gone.error?.message]).toEqual([
        404,
        'not-found',
        "model 'spleen_copy' is not loaded",
      ]);
    });
  });

  describe('health, logs, the page and the samples', () => {
    it('health and ready: ok on the in-process engine, with the shape formats', async () => {
      const { data } = await aiaa.GET('/health');
      expect(data).toMatchObject({ status: 'ok', engine: 'AIAA', shapeFormats: expect.arrayContaining(['CDHW']) });
      const ready = await aiaa.GET('/health/ready');
      expect([ready.response.status, ready.data?.status]).toEqual([200, 'ok']);
    });

    it('logs: admin only; at most the lines asked for, each a JSON object with a level and a time', async () => {
      expect((await aiaa.GET('/logs', { parseAs: 'text' })).response.status).toBe(403);
      const admin = createAiaaClient({ baseUrl: server.base, adminToken: TOKEN });
      const { data } = await admin.GET('/logs', { params: { query: { lines: '3' } }, parseAs: 'text' });
      const lines = (data ?? '').split('\n').filter((line) => line !== '');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(3);
      for (const line of lines) {
        expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), time: expect.any(Number) });
      }
    });

    it('page, listSamples and getSample: the HTML page, the shipped samples and their bytes', async () => {
      const page = await aiaa.GET('/', { parseAs: 'text' });
      expect(page.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.data).toContain('<html');
      const names = (await fs.readdir(path.join(REPO_ROOT, 'samples'))).filter((n) => /\.nii(\.gz)?$/.test(n)).sort();
      const { data: samples } = await aiaa.GET('/samples');
      expect(samples?.map((s) => s.name)).toEqual(names);
      const name = 'spleen_8_label.nii.gz';
      const file = await aiaa.GET('/samples/{name}', { params: { path: { name } }, parseAs: 'arrayBuffer' });
      const bytes = await fs.readFile(path.join(REPO_ROOT, 'samples', name));
      expect(Buffer.from(file.data as ArrayBuffer).equals(bytes)).toBe(true);
      expect(samples?.find((s) => s.name === name)?.bytes).toBe(bytes.length);
    });
  });
});
