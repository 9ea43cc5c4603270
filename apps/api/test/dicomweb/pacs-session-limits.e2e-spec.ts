import { gunzipSync } from 'node:zlib';
import { errorMessage, request, sendPyMultipart, type RawReply } from '../support/inference-helpers';
import { SessionStore } from '../../src/inference/session/session-store.service';
import { useTestApp } from '../support/test-app';
import { copyDemoModels } from '../monailabel/monailabel-support';
import { ORTHANC_MISSING, SPLEEN, jpeg2000Instance, requestsSince, useSpleenPacs } from './pacs-support';

// A real Orthanc and a real server decoding a 512×512×32 CT on a shared machine; Orthanc takes ~2.5 s to stop.
jest.setTimeout(60_000);

const describeWithOrthanc = ORTHANC_MISSING ? describe.skip : describe;
if (ORTHANC_MISSING) {
  it.skip(`PACS sessions and limits: skipped, ${ORTHANC_MISSING}`, () => undefined);
}

const UID = SPLEEN.seriesUid;
const MiB = 1024 * 1024;

function putDicomSession(base: string, dicom: Record<string, unknown>): Promise<RawReply> {
  const body = Buffer.from(JSON.stringify({ dicom }));
  return request('PUT', `${base}/session/?expiry=60`, body, { 'Content-Type': 'application/json' });
}

function json(reply: RawReply): Record<string, unknown> {
  return JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;
}

/** A uint8 NIfTI-1 mask read by hand: its dims, sform rows and voxel bytes (a view, for a fast comparison). */
function niftiParts(file: Buffer): { dims: number[]; srow: number[][]; voxels: Uint8Array } {
  const bytes = gunzipSync(file);
  const dims = [1, 2, 3].map((d) => bytes.readInt16LE(40 + 2 * d));
  const srow = [280, 296, 312].map((at) => [0, 1, 2, 3].map((n) => bytes.readFloatLE(at + 4 * n)));
  expect(bytes.readInt16LE(70)).toBe(2); // DT_UINT8
  return { dims, srow, voxels: bytes.subarray(Math.round(bytes.readFloatLE(108))) };
}

function inferSeries(base: string, seriesUid: string): Promise<RawReply> {
  const params = JSON.stringify({ result_extension: '.nii.gz' });
  return sendPyMultipart('POST', `${base}/infer/spleen_ct_threshold?image=${seriesUid}&output=image`, { params }, []);
}

describeWithOrthanc('A PACS series as an AIAA session, and the PACS limits over HTTP (Orthanc)', () => {
  const pacs = useSpleenPacs();
  const t = useTestApp(
    () => pacs.settings(),
    (workspace) => copyDemoModels(workspace, ['spleen_ct_threshold']),
  );

  it("opens an AIAA session from OHIF's DICOM reference and segments the series by session_id", async () => {
    const from = pacs.relay.requests().length;
    // What OHIF's AIAA plugin sends: the node's address and AE title are not used, the PACS is --dicomweb.
    const created = await putDicomSession(t.base, {
      server_address: 'pacs.example',
      server_port: 104,
      ae_title: 'ORTHANC',
      query_level: 'SERIES',
      patient_id: SPLEEN.patientId,
      study_uid: SPLEEN.studyUid,
      series_uid: UID,
    });
    expect(created.status).toBe(200);
    const session = json(created);
    expect(session).toMatchObject({
      name: `${UID}.nii.gz`,
      expiry: 60,
      image: { size: [512, 512, 32], spacing_mm: [0.785156, 0.785156, 7.5], channels: 1, dtype: 'int16' },
    });
    expect(requestsSince(pacs.relay, from)).toEqual([
      'GET /dicom-web/series',
      `GET /dicom-web/studies/${SPLEEN.studyUid}/series/${UID}`,
    ]);

    const bySession = await sendPyMultipart(
      'POST',
      `${t.base}/v1/segmentation?model=spleen_ct_threshold&session_id=${String(session['session_id'])}&output=image`,
      { params: '{}' },
      [],
    );
    expect(bySession.status).toBe(200);
    const byUid = await inferSeries(t.base, UID);
    expect(byUid.status).toBe(200);
    // The same volume both ways, the series kept in the cache: no second retrieval.
    expect(requestsSince(pacs.relay, from)).toHaveLength(2);
    const sessionMask = niftiParts(bySession.body);
    const uidMask = niftiParts(byUid.body);
    expect(sessionMask.dims).toEqual([512, 512, 32]);
    expect(sessionMask.srow).toEqual(uidMask.srow);
    expect(sessionMask.voxels.reduce((sum, v) => sum + (v === 0 ? 0 : 1), 0)).toBeGreaterThan(100_000);
    expect(Buffer.from(sessionMask.voxels).equals(Buffer.from(uidMask.voxels))).toBe(true);
  });

  describe('bad DICOM references, each named', () => {
    it.each([
      [
        { query_level: 'STUDY', study_uid: SPLEEN.studyUid },
        400,
        "request body 'dicom.series_uid' is required (query_level STUDY): a session holds one series, named by its SeriesInstanceUID",
      ],
      [
        { series_uid: UID, study_uid: '1.2.3' },
        400,
        `request body 'dicom.study_uid': series ${UID} belongs to study ${SPLEEN.studyUid}, not 1.2.3`,
      ],
      [
        { series_uid: '../../etc' },
        400,
        `request body 'dicom.series_uid': expected a DICOM UID (digits and dots, at most 64), got "../../etc"`,
      ],
      [{ series_uid: '1.2.3.999' }, 404, 'series 1.2.3.999 not found on DICOMweb server'],
    ])('%j → %i', async (dicom, status, expected) => {
      const reply = await putDicomSession(t.base, dicom);
      expect(reply.status).toBe(status);
      expect(errorMessage(reply)).toContain(expected);
    });
  });

  it("counts a series session against its client's quota, refused with 429 before the PACS is asked", async () => {
    // The sessions of the tests above are kept across the restart, and owned by this client too.
    const held = t.app.get(SessionStore).size;
    const quota = held + 1;
    await t.restart(pacs.settings({ sessionsPerClient: quota }));
    expect((await putDicomSession(t.base, { series_uid: UID })).status).toBe(200);
    const from = pacs.relay.requests().length;
    const refused = await putDicomSession(t.base, { series_uid: UID });
    expect(refused.status).toBe(429);
    expect(errorMessage(refused)).toMatch(
      new RegExp(
        `^client 127\\.0\\.0\\.1 holds ${quota} sessions, the most one client may hold \\(--sessions_per_client ${quota}\\): `,
      ),
    );
    expect(requestsSince(pacs.relay, from)).toEqual([]);
  });

  it('holds inference on a series to the request budget: 413 naming the step and --request_budget_mb', async () => {
    // The 512×512×32 int16 series holds 16 MiB; its float32 rescale needs 32 MiB more.
    await t.restart(pacs.settings({ requestBudgetMb: 24 }));
    const reply = await inferSeries(t.base, UID);
    expect(reply.status).toBe(413);
    expect(errorMessage(reply)).toContain("over the request's allocation budget");
    expect(errorMessage(reply)).toContain('(--request_budget_mb)');
    expect((await request('GET', `${t.base}/v1/models`)).status).toBe(200);
  });

  it('answers 415 naming JPEG 2000 for a series the PACS holds compressed and cannot send uncompressed', async () => {
    const seriesUid = `${SPLEEN.studyUid}.88`;
    await pacs.orthanc.upload(jpeg2000Instance(seriesUid));
    const reply = await inferSeries(t.base, seriesUid);
    expect(reply.status).toBe(415);
    expect(errorMessage(reply)).toBe(
      `DICOMweb series ${seriesUid}: instance 1 came as JPEG 2000 Lossless (1.2.840.10008.1.2.4.90): the PACS could ` +
        'not send it as explicit VR little endian (1.2.840.10008.1.2.1; it answered 500 Internal Server Error); ' +
        'only uncompressed transfer syntaxes are read',
    );
  });

  it('answers 413 for a series over --dicomweb_max_series_mb, having taken little more than the limit', async () => {
    await t.restart(pacs.settings({ dicomwebMaxSeriesMb: 1 }));
    const from = pacs.relay.requests().length;
    const reply = await inferSeries(t.base, UID);
    expect(reply.status).toBe(413);
    const message = errorMessage(reply);
    expect(message).toMatch(
      new RegExp(
        `^DICOMweb series ${UID}: \\d+ bytes received, over the 1048576-byte limit; the download was stopped$`,
      ),
    );
    // The server stopped reading at the first chunk past the limit (Node reads a socket 64 KiB at a time).
    const received = Number(/: (\d+) bytes received/.exec(message)?.[1]);
    expect(received).toBeGreaterThan(MiB);
    expect(received).toBeLessThanOrEqual(MiB + 64 * 1024);
    // The relay forwards with backpressure, so it stopped too: socket buffers (a few MiB on loopback) past what the
    // server read, far short of the 16.8 MB series.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const retrieval = pacs.relay.requests()[from + 1];
    expect(retrieval?.url).toBe(`/dicom-web/studies/${SPLEEN.studyUid}/series/${UID}`);
    expect(retrieval?.sentBytes).toBeLessThan(pacs.seriesBytes / 2);
    expect(pacs.seriesBytes).toBeGreaterThan(16 * MiB);
  });

  it('answers 503 naming the PACS once Orthanc is stopped, on every route that needs it, and keeps serving', async () => {
    const url = pacs.orthanc.dicomwebUrl;
    await t.restart(pacs.settings({ dicomweb: url }));
    await pacs.orthanc.stop();
    const unavailable = `DICOMweb server ${url} is unavailable: `;
    const replies: [string, RawReply][] = [
      ['/infer', await inferSeries(t.base, UID)],
      ['/session', await putDicomSession(t.base, { series_uid: UID })],
      ['/datastore', await request('GET', `${t.base}/datastore/`)],
      ['/proxy', await request('GET', `${t.base}/proxy/dicom/qido/studies`)],
    ];
    for (const [route, reply] of replies) {
      expect({ route, status: reply.status }).toEqual({ route, status: 503 });
      expect(errorMessage(reply)).toContain(unavailable);
      expect(errorMessage(reply)).toContain('ECONNREFUSED');
    }
    // /info/ still answers, with why the datastore counts are 0: clients can connect and use uploads.
    const info = await request('GET', `${t.base}/info/`);
    expect(info.status).toBe(200);
    expect(json(info)['datastore']).toMatchObject({ total: 0, unavailable: expect.stringContaining(unavailable) });
  });
});
