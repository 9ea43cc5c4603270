// The series cache against a real Orthanc: what it keeps is served after Orthanc stops, what it evicted is not.
import { DicomwebClient, MedicalImage, PacsUnavailableError, mat4FromRows } from '@aiaa/core';
import { type OrthancServer, dicomSeriesFromImage, orthancMissingReason, startOrthanc } from '@aiaa/core/testing';
import { DicomwebSeriesCache } from './dicomweb-series-cache';

const missing = orthancMissingReason();
const describeWithOrthanc = missing ? describe.skip : describe;
if (missing) {
  it.skip(`DICOMweb series cache: skipped, ${missing}`, () => undefined);
}

const STUDY = '1.2.826.0.1.3680043.8.1055.2';
/** 3 slices of 4 × 5 int16 voxels: 120 bytes each series. */
const SERIES_BYTES = 3 * 4 * 5 * 2;

function smallSeries(seriesUid: string, offset: number): Buffer[] {
  const voxels = Int16Array.from({ length: 60 }, (_, n) => n * 10 + offset);
  const image = new MedicalImage({
    voxels,
    shape: [3, 4, 5],
    shapeFormat: 'DHW',
    affine: mat4FromRows([
      [-1, 0, 0, 10],
      [0, -1, 0, 20],
      [0, 0, 2, 30],
      [0, 0, 0, 1],
    ]),
  });
  return dicomSeriesFromImage(image, {
    studyUid: STUDY,
    seriesUid,
    frameOfReferenceUid: `${STUDY}.9`,
    patientId: 'cache',
    patientName: 'Cache^Test',
    studyDate: '20240103',
    seriesDescription: seriesUid,
    seriesNumber: 1,
  }).map((instance) => instance.bytes);
}

describeWithOrthanc('DicomwebSeriesCache against Orthanc', () => {
  let orthanc: OrthancServer;
  let client: DicomwebClient;

  beforeAll(async () => {
    orthanc = await startOrthanc();
    client = new DicomwebClient({ url: orthanc.dicomwebUrl, auth: orthanc.auth });
    for (const [uid, offset] of [
      [`${STUDY}.1`, 0],
      [`${STUDY}.2`, 1000],
    ] as const) {
      for (const bytes of smallSeries(uid, offset)) {
        await orthanc.upload(bytes);
      }
    }
  }, 30_000);
  afterAll(async () => {
    await orthanc?.stop();
  }, 30_000);

  it('lets a caller give up while the download goes on for another and for the cache', async () => {
    const cache = new DicomwebSeriesCache(client, { maxEntries: 4, maxBytes: 1e6, maxSeriesBytes: 1e6 });
    const controller = new AbortController();
    const leaving = cache.get(`${STUDY}.1`, controller.signal);
    const staying = cache.get(`${STUDY}.1`);
    controller.abort(new Error('client went away'));
    await expect(leaving).rejects.toThrow('client went away');
    const { image, series } = await staying;
    expect(image.shape).toEqual([3, 4, 5]);
    expect(series).toMatchObject({ studyInstanceUid: STUDY, seriesInstanceUid: `${STUDY}.1`, patientId: 'cache' });
    expect((await cache.get(`${STUDY}.1`)).image).toBe(image);
  });

  it('loads a series once for concurrent requests, keeps it, and evicts the least recently used past its bytes', async () => {
    const cache = new DicomwebSeriesCache(client, { maxEntries: 4, maxBytes: SERIES_BYTES * 1.5, maxSeriesBytes: 1e6 });
    const [first, again] = await Promise.all([cache.get(`${STUDY}.1`), cache.get(`${STUDY}.1`)]);
    expect(again).toBe(first);
    expect(Array.from(first.image.voxels.subarray(0, 3))).toEqual([0, 10, 20]);
    expect(cache.bytes).toBe(SERIES_BYTES);
    expect(await cache.get(`${STUDY}.1`)).toBe(first);

    const second = await cache.get(`${STUDY}.2`);
    expect(second.image.voxels[0]).toBe(1000);
    expect(cache.bytes).toBe(SERIES_BYTES);

    await orthanc.stop();
    expect(await cache.get(`${STUDY}.2`)).toBe(second);
    await expect(cache.get(`${STUDY}.1`)).rejects.toBeInstanceOf(PacsUnavailableError);
  }, 30_000);
});
