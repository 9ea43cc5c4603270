import { createAiaaClient, type AiaaClient } from '@aiaa/client';
import { useTestApp } from '../support/test-app';
import { copyDemoModels } from '../monailabel/monailabel-support';
import { ORTHANC_MISSING, SPLEEN, useSpleenPacs } from '../dicomweb/pacs-support';

// A real Orthanc and a real model on the 512×512×32 series, on a shared 2-core machine.
jest.setTimeout(60_000);

const describeWithOrthanc = ORTHANC_MISSING ? describe.skip : describe;
if (ORTHANC_MISSING) {
  it.skip(`@aiaa/client over a PACS: skipped, ${ORTHANC_MISSING}`, () => undefined);
}

/** A QIDO-RS dataset's value of one tag (DICOM JSON: `{"0020000E": {"vr": "UI", "Value": ["1.2…"]}}`). */
function valueOf(dataset: Record<string, unknown>, tag: string): unknown {
  const element = dataset[tag] as { Value?: unknown[] } | undefined;
  return element?.Value?.[0];
}

describeWithOrthanc('@aiaa/client drives the PACS routes of the real server against Orthanc', () => {
  const pacs = useSpleenPacs();
  const server = useTestApp(
    () => pacs.settings(),
    (workspace) => copyDemoModels(workspace, ['spleen_ct_threshold']),
  );
  let aiaa: AiaaClient;
  beforeAll(() => {
    aiaa = createAiaaClient({ baseUrl: server.base });
  });

  it('datastore and nextSample: the series as QIDO-RS describes it, by its SeriesInstanceUID', async () => {
    const { data: listing } = await aiaa.GET('/datastore', { params: { query: { output: 'all' } } });
    expect(Object.keys((listing as { objects: object }).objects)).toEqual([SPLEEN.seriesUid]);
    const next = await aiaa.POST('/activelearning/{strategy}', {
      params: { path: { strategy: 'first' } },
      body: { client_id: 'e2e' },
      bodySerializer: (body) => JSON.stringify(body),
    });
    expect(next.data).toMatchObject({
      id: SPLEEN.seriesUid,
      SeriesInstanceUID: SPLEEN.seriesUid,
      StudyInstanceUID: SPLEEN.studyUid,
      PatientID: SPLEEN.patientId,
      Modality: 'CT',
      StudyDate: SPLEEN.studyDate,
    });
    expect(next.data).not.toHaveProperty('checksum');
  });

  it('monaiLabelInfer with save_seg stores a SEG that proxyDicomGet then finds with QIDO-RS', async () => {
    const { data, error } = await aiaa.POST('/infer/{model}', {
      params: { path: { model: 'spleen_ct_threshold' }, query: { image: SPLEEN.seriesUid, output: 'json' } },
      body: { params: { save_seg: true, label_info: [{ name: 'soft tissue', id: 1 }] } },
    });
    expect(error).toBeUndefined();
    // `output=json`: the reply is the JSON alone (the document lists the route's other media types too).
    const stored = (data as { dicom_seg?: { StudyInstanceUID: string; SeriesInstanceUID: string } }).dicom_seg;
    expect(stored?.StudyInstanceUID).toBe(SPLEEN.studyUid);
    const series = await aiaa.GET('/proxy/dicom/{service}/{path}', {
      params: { path: { service: 'qido', path: 'series' } },
    });
    expect(series.response.status).toBe(200);
    const found = (series.data as Record<string, unknown>[]).map((d) => [
      valueOf(d, '0020000E'),
      valueOf(d, '00080060'),
    ]);
    expect(found.sort()).toEqual(
      [
        [SPLEEN.seriesUid, 'CT'],
        [stored?.SeriesInstanceUID, 'SEG'],
      ].sort(),
    );
  });

  it('monaiLabelInfer with output=dicom_seg answers the SEG itself, a DICOM Part 10 file', async () => {
    const reply = await aiaa.POST('/infer/{model}', {
      params: { path: { model: 'spleen_ct_threshold' }, query: { image: SPLEEN.seriesUid, output: 'dicom_seg' } },
      body: { params: {} },
      parseAs: 'arrayBuffer',
    });
    expect(reply.response.headers.get('content-type')).toBe('application/dicom');
    const bytes = Buffer.from(reply.data as ArrayBuffer);
    expect(bytes.subarray(128, 132).toString('latin1')).toBe('DICM');
  });

  it('proxyDicomGet and proxyDicomStore refuse what is not a DICOMweb service with the Error body', async () => {
    const get = await aiaa.GET('/proxy/dicom/{service}/{path}', {
      // @ts-expect-error: not one of the proxied services, which the server refuses too.
      params: { path: { service: 'admin', path: 'studies' } },
    });
    expect([get.response.status, get.error?.kind]).toEqual([404, 'not-found']);
    const store = await aiaa.POST('/proxy/dicom/{service}/{path}', {
      params: { path: { service: 'stow', path: 'studies' } },
      body: new Blob(['not multipart']),
      bodySerializer: (body) => body,
      headers: { 'Content-Type': 'text/plain' },
    });
    expect([store.response.status, store.error?.message]).toEqual([415, expect.stringContaining('multipart/related')]);
  });
});
