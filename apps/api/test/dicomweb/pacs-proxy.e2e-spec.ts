import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { MedicalImage, mat4FromRows } from '@aiaa/core';
import { dicomSeriesFromImage } from '@aiaa/core/testing';
import { useTestApp } from '../support/test-app';
import { ORTHANC_MISSING, SPLEEN, requestsSince, useSpleenPacs } from './pacs-support';

jest.setTimeout(30_000);

const describeWithOrthanc = ORTHANC_MISSING ? describe.skip : describe;
if (ORTHANC_MISSING) {
  it.skip(`the DICOMweb proxy: skipped, ${ORTHANC_MISSING}`, () => undefined);
}

const OHIF_ORIGIN = 'http://ohif.example:3000';
const UID = SPLEEN.seriesUid;

/** A one-instance CT series of 2 × 3 voxels in the spleen study, as a viewer would upload it. */
function tinyInstance(seriesUid: string): Buffer {
  const image = new MedicalImage({
    voxels: Int16Array.of(0, 10, 20, 30, 40, 50),
    shape: [1, 2, 3],
    shapeFormat: 'DHW',
    affine: mat4FromRows([
      [-1, 0, 0, 0],
      [0, -1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]),
  });
  const [instance] = dicomSeriesFromImage(image, { ...SPLEEN, seriesUid, seriesDescription: 'uploaded by a viewer' });
  return instance?.bytes as Buffer;
}

/** A GET with the path sent exactly as written: URL parsers (fetch's, http.request's) resolve dot segments first. */
function rawGet(base: string, rawPath: string): Promise<{ status: number; message: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .get({ host: hostname, port, path: rawPath }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message: string };
          resolve({ status: res.statusCode ?? 0, message: body.message });
        });
      })
      .on('error', reject);
  });
}

function stowBody(instance: Buffer, boundary: string): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
    instance,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

describeWithOrthanc("/proxy/dicom: the PACS behind the server's address, for OHIF's dicomweb data source", () => {
  const pacs = useSpleenPacs();
  const t = useTestApp(() => pacs.settings({ corsOrigins: OHIF_ORIGIN }));

  it("answers OHIF's study list query (QIDO-RS) with the server's credentials, across origins", async () => {
    const reply = await fetch(
      `${t.base}/proxy/dicom/qido/studies?limit=101&offset=0&fuzzymatching=false&includefield=00081030%2C00080060`,
      { headers: { accept: 'application/dicom+json', origin: OHIF_ORIGIN } },
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/dicom\+json/);
    expect(reply.headers.get('access-control-allow-origin')).toBe(OHIF_ORIGIN);
    const studies = (await reply.json()) as Record<string, { Value?: unknown[] }>[];
    expect(studies.map((study) => study['0020000D']?.Value?.[0])).toEqual([SPLEEN.studyUid]);
    expect(studies[0]?.['00100020']?.Value).toEqual([SPLEEN.patientId]);
  });

  it("passes WADO-RS series metadata and a frame's pixels through, as OHIF loads a series", async () => {
    const base = `${t.base}/proxy/dicom/wado/studies/${SPLEEN.studyUid}/series/${UID}`;
    const metadata = (await (await fetch(`${base}/metadata`)).json()) as unknown[];
    expect(metadata).toHaveLength(32);
    const frame = await fetch(`${base}/instances/${UID}.1/frames/1`, {
      headers: { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' },
    });
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-type')).toMatch(/^multipart\/related/);
    // One part: 512 × 512 pixels of 2 bytes, inside the part headers and boundaries.
    const bytes = (await frame.arrayBuffer()).byteLength;
    expect(bytes).toBeGreaterThan(512 * 512 * 2);
    expect(bytes).toBeLessThan(512 * 512 * 2 + 1024);
  });

  it("passes the PACS' own statuses on (404 for an unknown study)", async () => {
    const reply = await fetch(`${t.base}/proxy/dicom/wado/studies/1.2.3.4/series/5.6/metadata`);
    expect(reply.status).toBe(404);
  });

  it("stores OHIF's upload (STOW-RS to <wadoRoot>/studies), found then by QIDO-RS through the proxy", async () => {
    const seriesUid = `${SPLEEN.studyUid}.77`;
    const boundary = `b${randomBytes(8).toString('hex')}`;
    const stored = await fetch(`${t.base}/proxy/dicom/wado/studies`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        accept: 'application/dicom+json',
      },
      body: stowBody(tinyInstance(seriesUid), boundary),
    });
    expect(stored.status).toBe(200);
    const found = await fetch(`${t.base}/proxy/dicom/qido/series?SeriesInstanceUID=${seriesUid}`);
    const series = (await found.json()) as Record<string, { Value?: unknown[] }>[];
    expect(series.map((s) => s['0008103E']?.Value?.[0])).toEqual(['uploaded by a viewer']);
  });

  it('answers preflights from the allowed origin for GET and the STOW POST', async () => {
    const preflight = await fetch(`${t.base}/proxy/dicom/stow/studies`, {
      method: 'OPTIONS',
      headers: {
        origin: OHIF_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(OHIF_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  describe('bad requests, refused before reaching the PACS', () => {
    it.each([
      ['/proxy/dicom/wado/%2e%2e/%2e%2e/system', "the segment '%2e%2e' would leave the DICOMweb root"],
      ['/proxy/dicom/qido/studies%2F..%2F..%2Fsystem', "the segment 'studies%2F..%2F..%2Fsystem' would leave"],
    ])('refuses %s, naming the segment', async (url, expected) => {
      const from = pacs.relay.requests().length;
      const reply = await rawGet(t.base, url);
      expect(reply.status).toBe(400);
      expect(reply.message).toContain(expected);
      expect(requestsSince(pacs.relay, from)).toEqual([]);
    });

    it('answers 404 for a service that is not proxied, and 415 for a STOW body that is not multipart/related', async () => {
      const unknown = await fetch(`${t.base}/proxy/dicom/wado-uri/studies`);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { message: string }).message).toBe(
        '/proxy/dicom/wado-uri: no such DICOMweb service (qido, wado, stow)',
      );
      const json = await fetch(`${t.base}/proxy/dicom/stow/studies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(json.status).toBe(415);
      expect(((await json.json()) as { message: string }).message).toBe(
        "POST /proxy/dicom/stow/studies: STOW-RS through the proxy takes multipart/related, got 'application/json'",
      );
    });
  });
});

describe('/proxy/dicom without --dicomweb', () => {
  const t = useTestApp();

  it('answers 400 naming the flag', async () => {
    const reply = await fetch(`${t.base}/proxy/dicom/qido/studies`);
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { message: string }).message).toBe(
      '/proxy/dicom/qido needs a DICOMweb server, and none is configured (start the server with --dicomweb URL)',
    );
  });
});
