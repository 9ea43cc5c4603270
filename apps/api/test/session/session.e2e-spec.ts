import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { InferenceOptions } from '../../src/inference/inference-options';
import { SessionStore } from '../../src/inference/session/session-store.service';
import {
  DT_INT16,
  errorMessage,
  request,
  sendPyMultipart,
  writeTestNifti,
  type RawReply,
} from '../support/inference-helpers';
import { useTestApp, type TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A 4×3×2 int16 volume: voxel n holds n. */
const volume = writeTestNifti({
  dims: [4, 3, 2],
  datatype: DT_INT16,
  voxels: Int16Array.from({ length: 24 }, (_, n) => n),
});

function createSession(t: TestApp, query = '?expiry=60', field = 'image', content = volume): Promise<RawReply> {
  return sendPyMultipart('PUT', `${t.base}/session/${query}`, { params: '{}' }, [
    { field, filename: '/data/images/ct.nii', content },
  ]);
}

function json(reply: RawReply): Record<string, unknown> {
  return JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;
}

describe('/session (real app, real HTTP on 127.0.0.1, workspace in a temp dir)', () => {
  const t = useTestApp({ sessionsPerClient: 1000 });

  it('PUT /session/?expiry= stores the upload under sessions/<uuid>/ and answers 200 JSON with Content-Length', async () => {
    const reply = await createSession(t);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
    expect(reply.headers['transfer-encoding']).toBeUndefined();
    const body = json(reply);
    expect(body['session_id']).toMatch(UUID);
    expect(body['expiry']).toBe(60);
    expect(body['name']).toBe('ct.nii');
    expect(body['image']).toEqual({ size: [4, 3, 2], spacing_mm: [1, 1, 1], channels: 1, dtype: 'int16' });
    const stored = await fs.readFile(path.join(t.workspace, 'sessions', String(body['session_id']), 'image.nii'));
    expect(stored.equals(volume)).toBe(true);
  });

  it('gives every session a different id', async () => {
    const ids = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      ids.add(json(await createSession(t))['session_id']);
    }
    expect(ids.size).toBe(3);
  });

  it('GET /session/{id} answers the details; update_ts=true moves last_access_ts forward', async () => {
    const created = json(await createSession(t));
    const id = String(created['session_id']);
    const plain = await request('GET', `${t.base}/session/${id}`);
    expect(plain.status).toBe(200);
    expect(json(plain)).toMatchObject({ session_id: id, expiry: 60, last_access_ts: created['last_access_ts'] });
    await new Promise((r) => setTimeout(r, 20));
    const touched = json(await request('GET', `${t.base}/session/${id}?update_ts=true`));
    expect(Number(touched['last_access_ts'])).toBeGreaterThan(Number(created['last_access_ts']));
  });

  it('DELETE /session/{id} answers 200, removes the folder, and the id then answers 440', async () => {
    const id = String(json(await createSession(t))['session_id']);
    const deleted = await request('DELETE', `${t.base}/session/${id}`);
    expect(deleted.status).toBe(200);
    await expect(fs.stat(path.join(t.workspace, 'sessions', id))).rejects.toThrow(/ENOENT/);
    const gone = await request('GET', `${t.base}/session/${id}`);
    expect(gone.status).toBe(440);
    expect(errorMessage(gone)).toContain(id);
  });

  it('caps the requested expiry at the server maximum and maps expiry=0 to the default', async () => {
    const options = t.app.get(InferenceOptions);
    expect(json(await createSession(t, '?expiry=0'))['expiry']).toBe(options.defaultSessionExpirySec);
    expect(json(await createSession(t, '?expiry=999999999'))['expiry']).toBe(options.maxSessionExpirySec);
    expect(json(await createSession(t, ''))['expiry']).toBe(options.defaultSessionExpirySec);
  });

  it('expires a session after `expiry` seconds without access (440), and the sweep removes its folder', async () => {
    const id = String(json(await createSession(t, '?expiry=1'))['session_id']);
    expect((await request('GET', `${t.base}/session/${id}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    await t.app.get(SessionStore).sweep();
    await expect(fs.stat(path.join(t.workspace, 'sessions', id))).rejects.toThrow(/ENOENT/);
    expect((await request('GET', `${t.base}/session/${id}`)).status).toBe(440);
  });

  it('serves sessions left on disk by a previous run after a restart', async () => {
    const id = String(json(await createSession(t))['session_id']);
    await t.restart();
    const again = await request('GET', `${t.base}/session/${id}`);
    expect(again.status).toBe(200);
    expect(json(again)['session_id']).toBe(id);
  });

  describe('bad requests', () => {
    it('answers 440 for an unknown id and for an id that is not a UUID', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', '..%2F..%2Fetc', 'x']) {
        const reply = await request('GET', `${t.base}/session/${id}`);
        expect(reply.status).toBe(440);
        expect(reply.headers['content-length']).toBe(String(reply.body.length));
      }
      expect((await request('DELETE', `${t.base}/session/00000000-0000-4000-8000-000000000000`)).status).toBe(440);
    });

    it('refuses a create without a file part, naming the image part', async () => {
      const reply = await sendPyMultipart('PUT', `${t.base}/session/?expiry=60`, { params: '{}' }, []);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/'image'/);
    });

    it('refuses a file under an unknown field name, naming it', async () => {
      const reply = await createSession(t, '?expiry=60', 'scan');
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/'scan'/);
    });

    it('accepts one file as image0 (OHIF) and reads several parts only as a DICOM series, naming a part that is not', async () => {
      expect((await createSession(t, '?expiry=60', 'image0')).status).toBe(200);
      const reply = await sendPyMultipart('PUT', `${t.base}/session/?expiry=60`, { params: '{}' }, [
        { field: 'image0', filename: 'a.dcm', content: volume },
        { field: 'image1', filename: 'b.dcm', content: volume },
      ]);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toContain("'image0' (a.dcm): not a DICOM Part 10 file");
    });

    it('refuses a non-numeric expiry, naming the query parameter', async () => {
      const reply = await createSession(t, '?expiry=soon');
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/'expiry'/);
    });

    it('refuses a file that is not a readable NIfTI image naming the client file (not the temp path), storing nothing', async () => {
      const before = t.app.get(SessionStore).size;
      const reply = await createSession(t, '?expiry=60', 'image', volume.subarray(0, 200));
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toMatch(/^ct\.nii: header: truncated/);
      expect(t.app.get(SessionStore).size).toBe(before);
    });

    it('refuses a JSON dicom reference without a DICOMweb server, naming the body field and --dicomweb', async () => {
      const body = Buffer.from(JSON.stringify({ dicom: { server_address: '127.0.0.1', series_uid: '1.2' } }));
      const reply = await request('PUT', `${t.base}/session/?expiry=60`, body, { 'Content-Type': 'application/json' });
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toBe(
        "request body 'dicom' (a session on a series of the PACS) needs a DICOMweb server, and none is configured " +
          '(start the server with --dicomweb URL)',
      );
    });

    it('answers 413 for a file over the upload limit, naming the part, and keeps serving', async () => {
      const options = t.app.get(InferenceOptions);
      const saved = options.maxUploadBytes;
      options.maxUploadBytes = 100;
      try {
        const reply = await createSession(t);
        expect(reply.status).toBe(413);
        expect(errorMessage(reply)).toMatch(/'image'/);
      } finally {
        options.maxUploadBytes = saved;
      }
      expect((await createSession(t)).status).toBe(200);
    });

    it('answers 503 when the session count limit is reached', async () => {
      const options = t.app.get(InferenceOptions);
      const saved = options.maxSessions;
      options.maxSessions = t.app.get(SessionStore).size;
      try {
        const reply = await createSession(t);
        expect(reply.status).toBe(503);
        expect(errorMessage(reply)).toMatch(/session limit/);
      } finally {
        options.maxSessions = saved;
      }
    });

    it('answers 503 when the session disk budget would be exceeded', async () => {
      const options = t.app.get(InferenceOptions);
      const saved = options.maxSessionBytes;
      options.maxSessionBytes = t.app.get(SessionStore).usedBytes() + volume.length - 1;
      try {
        const reply = await createSession(t);
        expect(reply.status).toBe(503);
        expect(errorMessage(reply)).toMatch(/storage full/);
      } finally {
        options.maxSessionBytes = saved;
      }
    });
  });
});
