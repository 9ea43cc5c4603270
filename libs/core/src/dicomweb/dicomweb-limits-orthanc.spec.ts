// Limits and failures of the DICOMweb client against a real Orthanc: series byte limit, compressed series (which
// Orthanc transcodes when it can), a syntax it cannot decode, the PACS going away, bearer tokens.
import { createHash } from 'node:crypto';
import { SPLEEN, type SpleenPacs, startSpleenPacs } from '../../test/support/spleen-pacs';
import { sliceSpec } from '../dicom/testing/dicom-series-fixture';
import {
  CT_IMAGE_STORAGE,
  EXPLICIT_LE,
  JPEG_2000_LOSSLESS,
  TAG,
  jpeg2000PixelDataStub,
  sliceElements,
  writeDicomPart10,
} from '../dicom/testing/dicom-writer';
import { UnsupportedMediaError } from '../errors';
import { DicomwebClient } from './dicomweb-client';
import { PacsUnavailableError, SeriesTooLargeError } from './dicomweb-errors';
import { loadDicomwebSeries } from './load-dicomweb-series';
import { type HttpRelay, startRelay } from './testing/http-relay';
import { orthancMissingReason, startOrthanc } from './testing/orthanc-server';

const missing = orthancMissingReason();
const describeWithOrthanc = missing ? describe.skip : describe;
if (missing) {
  it.skip(`DICOMweb limits against Orthanc: skipped, ${missing}`, () => undefined);
}

const MiB = 1024 * 1024;
/** Node reads a socket at most 64 KiB at a time: the most a stream hands over past the limit. */
const ONE_CHUNK = 64 * 1024;
const JPEG_LOSSLESS_SV1 = '1.2.840.10008.1.2.4.70';

describeWithOrthanc('DICOMweb limits and failures against Orthanc', () => {
  let pacs: SpleenPacs;
  let client: DicomwebClient;
  let relay: HttpRelay;
  let bufferedRelay: HttpRelay;

  beforeAll(async () => {
    pacs = await startSpleenPacs();
    client = new DicomwebClient({ url: pacs.orthanc.dicomwebUrl, auth: pacs.orthanc.auth });
    relay = await startRelay(pacs.orthanc.dicomwebUrl, 'chunked');
    bufferedRelay = await startRelay(pacs.orthanc.dicomwebUrl, 'buffered');
  }, 60_000);
  afterAll(async () => {
    await relay?.close();
    await bufferedRelay?.close();
    await pacs?.orthanc.stop();
  }, 30_000);

  describe('series byte limit', () => {
    it('stops the download at the first chunk past the limit', async () => {
      expect(pacs.seriesBytes).toBeGreaterThan(16 * MiB);
      const error = await loadDicomwebSeries(client, SPLEEN.seriesUid, { maxBytes: 4 * MiB }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SeriesTooLargeError);
      expect(error).toMatchObject({ kind: 'too-large', limitBytes: 4 * MiB });
      const received = (error as SeriesTooLargeError).receivedBytes;
      expect(received).toBeGreaterThan(4 * MiB);
      expect(received).toBeLessThanOrEqual(4 * MiB + ONE_CHUNK);
      expect((error as Error).message).toBe(
        `DICOMweb series ${SPLEEN.seriesUid}: ${received} bytes received, over the 4194304-byte limit; the download was stopped`,
      );
    });

    it('refuses before reading when the PACS announces a longer reply than the limit', async () => {
      // Orthanc streams series without a Content-Length; a buffering gateway in front of it sends one.
      const buffered = new DicomwebClient({ url: bufferedRelay.url, auth: pacs.orthanc.auth });
      const error = await loadDicomwebSeries(buffered, SPLEEN.seriesUid, { maxBytes: 4 * MiB }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SeriesTooLargeError);
      expect(error).toMatchObject({ kind: 'too-large', receivedBytes: 0 });
      expect((error as Error).message).toMatch(/: the PACS announces \d+ bytes, over the 4194304-byte limit/);
    });

    it('stops a chunked download at the first chunk past the limit, and the PACS side stops sending', async () => {
      const chunked = new DicomwebClient({ url: relay.url, auth: pacs.orthanc.auth });
      const error = await loadDicomwebSeries(chunked, SPLEEN.seriesUid, { maxBytes: 4 * MiB }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SeriesTooLargeError);
      const received = (error as SeriesTooLargeError).receivedBytes;
      expect(received).toBeGreaterThan(4 * MiB);
      expect(received).toBeLessThanOrEqual(4 * MiB + ONE_CHUNK);
      // The relay stopped forwarding too: far less than the 16.8 MB series went out.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(relay.sentBytes()).toBeLessThan(pacs.seriesBytes / 2);
    });

    it('reads the same series chunked when it fits', async () => {
      const chunked = new DicomwebClient({ url: relay.url, auth: pacs.orthanc.auth });
      const { image, receivedBytes } = await loadDicomwebSeries(chunked, SPLEEN.seriesUid, { maxBytes: 32 * MiB });
      expect(receivedBytes).toBe(pacs.seriesBytes);
      expect(image.shape).toEqual([32, 512, 512]);
    });
  });

  describe('compressed series', () => {
    it('gets a JPEG Lossless series from Orthanc transcoded to explicit VR little endian, voxel for voxel', async () => {
      const [found] = (await (
        await pacs.orthanc.rest(`/tools/lookup`, { method: 'POST', body: SPLEEN.seriesUid })
      ).json()) as { ID: string }[];
      const modify = await pacs.orthanc.rest(`/series/${found?.ID}/modify`, {
        method: 'POST',
        body: JSON.stringify({ Transcode: JPEG_LOSSLESS_SV1, Replace: { SeriesDescription: 'jpeg lossless' } }),
      });
      const { ID } = (await modify.json()) as { ID: string };
      const series = (await (await pacs.orthanc.rest(`/series/${ID}`)).json()) as {
        MainDicomTags: { SeriesInstanceUID: string };
        Instances: string[];
      };
      const stored = await (
        await pacs.orthanc.rest(`/instances/${series.Instances[0]}/metadata/TransferSyntax`)
      ).text();
      expect(stored).toBe(JPEG_LOSSLESS_SV1);

      const original = await loadDicomwebSeries(client, SPLEEN.seriesUid, { maxBytes: 64 * MiB });
      const transcoded = await loadDicomwebSeries(client, series.MainDicomTags.SeriesInstanceUID, {
        maxBytes: 64 * MiB,
      });
      const hash = (voxels: NodeJS.TypedArray): string => createHash('sha256').update(voxels).digest('hex');
      expect(hash(transcoded.image.voxels)).toBe(hash(original.image.voxels));
      expect(Array.from(transcoded.image.affine)).toEqual(Array.from(original.image.affine));
    }, 60_000);

    it('answers 415 naming JPEG 2000 when Orthanc cannot decode it to send it uncompressed', async () => {
      const seriesUid = '1.2.826.0.1.3680043.8.1055.1.77';
      await pacs.orthanc.upload(jpeg2000Instance(seriesUid));
      const error = await loadDicomwebSeries(client, seriesUid, { maxBytes: 4 * MiB }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedMediaError);
      expect(error).toMatchObject({ kind: 'unsupported-media' });
      expect((error as Error).message).toBe(
        `DICOMweb series ${seriesUid}: instance 1 came as JPEG 2000 Lossless (${JPEG_2000_LOSSLESS}): the PACS could ` +
          'not send it as explicit VR little endian (1.2.840.10008.1.2.1; it answered 500 Internal Server Error); ' +
          'only uncompressed transfer syntaxes are read',
      );
    });
  });

  it('answers unavailable naming the PACS once Orthanc is stopped (Orthanc takes ~2.5 s to stop)', async () => {
    const orthanc = await startOrthanc();
    const gone = new DicomwebClient({ url: orthanc.dicomwebUrl, auth: orthanc.auth });
    expect(await gone.searchStudies()).toEqual([]);
    await orthanc.stop();
    for (const attempt of [gone.searchStudies(), loadDicomwebSeries(gone, SPLEEN.seriesUid, { maxBytes: MiB })]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PacsUnavailableError);
      expect(error).toMatchObject({ kind: 'unavailable' });
      expect((error as Error).message).toMatch(
        new RegExp(
          `^DICOMweb server ${orthanc.dicomwebUrl} is unavailable: QIDO-RS search for \\w+.* failed: fetch failed \\(connect ECONNREFUSED`,
        ),
      );
    }
  }, 30_000);

  it('sends a bearer token (checked by an Orthanc request filter)', async () => {
    const orthanc = await startOrthanc({ authentication: 'bearer' });
    try {
      expect(orthanc.auth.kind).toBe('bearer');
      const withToken = new DicomwebClient({ url: orthanc.dicomwebUrl, auth: orthanc.auth });
      expect(await withToken.searchStudies()).toEqual([]);
      const wrong = new DicomwebClient({ url: orthanc.dicomwebUrl, auth: { kind: 'bearer', token: 'other' } });
      await expect(wrong.searchStudies()).rejects.toMatchObject({
        kind: 'unavailable',
        message: expect.stringContaining('403 Forbidden; check the DICOMweb credentials'),
      });
    } finally {
      await orthanc.stop();
    }
  }, 30_000);
});

/**
 * One CT instance whose pixel data is encapsulated as JPEG 2000 Lossless. The code stream is only its SOC and SIZ
 * markers: enough for Orthanc to store and index it, not to decode it (Orthanc's built-in codecs lack JPEG 2000).
 */
function jpeg2000Instance(seriesUid: string): Buffer {
  const file = smallSliceFile(seriesUid, 0, JPEG_2000_LOSSLESS, [TAG.pixelData]);
  return Buffer.concat([file, jpeg2000PixelDataStub()]);
}

/** Slice k of the small hand-computed series (4×5 pixels), with the UIDs Orthanc needs, in the spleen study. */
function smallSliceFile(seriesUid: string, k: number, syntax = EXPLICIT_LE, omit: number[] = []): Buffer {
  const sopInstanceUid = `${seriesUid}.${k + 1}`;
  const elements = [
    ...sliceElements(sliceSpec(k, { seriesUid, omit })),
    { tag: 0x00080016, vr: 'UI', value: CT_IMAGE_STORAGE },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x0020000d, vr: 'UI', value: SPLEEN.studyUid },
    { tag: 0x00100020, vr: 'LO', value: SPLEEN.patientId },
  ];
  return writeDicomPart10(elements, syntax, { classUid: CT_IMAGE_STORAGE, instanceUid: sopInstanceUid });
}
