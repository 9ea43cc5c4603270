// The DICOMweb client against a real Orthanc (Debian's orthanc + orthanc-dicomweb) holding the spleen CT as a series.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, SPLEEN, type SpleenPacs, startSpleenPacs } from '../../test/support/spleen-pacs';
import { mat4ToRows } from '../image/affine';
import { DicomwebClient } from './dicomweb-client';
import { PacsUnavailableError } from './dicomweb-errors';
import { loadDicomwebSeries } from './load-dicomweb-series';
import type { DicomwebSeries } from './qido-records';
import { orthancMissingReason } from './testing/orthanc-server';

const missing = orthancMissingReason();
const describeWithOrthanc = missing ? describe.skip : describe;
if (missing) {
  it.skip(`DICOMweb against Orthanc: skipped, ${missing}`, () => undefined);
}

/** nibabel's facts about the spleen CT (fixtures/expected.json), independent of our readers. */
const EXPECTED = (JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, NibabelFacts>)[
  'spleen_8_ct.nii.gz'
] as NibabelFacts;
interface NibabelFacts {
  shape: number[];
  affine: number[][];
  raw_sha256: string;
}

describeWithOrthanc('DICOMweb client against Orthanc', () => {
  let pacs: SpleenPacs;
  let client: DicomwebClient;

  beforeAll(async () => {
    pacs = await startSpleenPacs();
    client = new DicomwebClient({ url: pacs.orthanc.dicomwebUrl, auth: pacs.orthanc.auth });
  }, 60_000);
  afterAll(async () => {
    await pacs?.orthanc.stop();
  }, 30_000);

  describe('QIDO-RS', () => {
    it('finds the study by PatientID with the attributes written into the instances', async () => {
      const studies = await client.searchStudies({ PatientID: SPLEEN.patientId });
      expect(studies).toEqual([
        expect.objectContaining({
          studyInstanceUid: SPLEEN.studyUid,
          patientId: SPLEEN.patientId,
          patientName: SPLEEN.patientName,
          studyDate: SPLEEN.studyDate,
          modalitiesInStudy: ['CT'],
        }),
      ]);
    });

    it('finds the series by modality and a StudyDate range, with what a viewer lists', async () => {
      const expected: DicomwebSeries = {
        studyInstanceUid: SPLEEN.studyUid,
        seriesInstanceUid: SPLEEN.seriesUid,
        patientId: SPLEEN.patientId,
        patientName: SPLEEN.patientName,
        studyDate: SPLEEN.studyDate,
        modality: 'CT',
        seriesDescription: SPLEEN.seriesDescription,
        seriesNumber: SPLEEN.seriesNumber,
        numberOfInstances: 32,
      };
      expect(await client.searchSeries({ Modality: 'CT', StudyDate: '20240101-20240131' })).toEqual([expected]);
      expect(await client.searchSeries({}, SPLEEN.studyUid)).toEqual([expected]);
      expect(await client.findSeries(SPLEEN.seriesUid)).toEqual(expected);
    });

    it('answers no match as an empty list, and an unknown series as not-found naming it', async () => {
      expect(await client.searchSeries({ StudyDate: '19990101' })).toEqual([]);
      await expect(client.findSeries('1.2.3.999')).rejects.toMatchObject({
        kind: 'not-found',
        message: expect.stringContaining(`series 1.2.3.999 not found on DICOMweb server ${pacs.orthanc.dicomwebUrl}`),
      });
    });

    it('lists the 32 instances of the series', async () => {
      const instances = await client.searchInstances({}, { studyUid: SPLEEN.studyUid, seriesUid: SPLEEN.seriesUid });
      expect(instances.map((i) => i.sopInstanceUid).sort()).toEqual(
        Array.from({ length: 32 }, (_, k) => `${SPLEEN.seriesUid}.${k + 1}`).sort(),
      );
      expect(new Set(instances.map((i) => i.sopClassUid))).toEqual(new Set(['1.2.840.10008.5.1.4.1.1.2']));
    });
  });

  describe('WADO-RS', () => {
    it('retrieves all 32 instances, streamed, uncompressed', async () => {
      const syntaxes: string[] = [];
      for await (const instance of client.retrieveSeries(SPLEEN.studyUid, SPLEEN.seriesUid, { maxBytes: 64e6 })) {
        syntaxes.push(instance.transferSyntaxUid);
      }
      expect(syntaxes).toEqual(Array(32).fill('1.2.840.10008.1.2.1'));
    });

    it('assembles the volume into the NIfTI voxels (HU) and geometry', async () => {
      const { image, receivedBytes, series } = await loadDicomwebSeries(client, SPLEEN.seriesUid, { maxBytes: 64e6 });
      expect(series.studyInstanceUid).toBe(SPLEEN.studyUid);
      expect(receivedBytes).toBe(pacs.seriesBytes);
      const [w, h, d] = EXPECTED.shape as [number, number, number];
      expect(image.shape).toEqual([d, h, w]);
      expect(image.dtype).toBe('int16');
      // Rows × columns is LPS x × −y, so the slice normal (row × column) points to −z: the series assembles with k
      // reversed against the NIfTI, and the affine says so (k column −7.5 mm, origin at the top slice).
      const affine = EXPECTED.affine;
      const top = (affine[2]?.[3] as number) + (d - 1) * (affine[2]?.[2] as number);
      const expectedAffine = [
        [affine[0]?.[0], 0, 0, affine[0]?.[3]],
        [0, affine[1]?.[1], 0, affine[1]?.[3]],
        [0, 0, -(affine[2]?.[2] as number), top],
        [0, 0, 0, 1],
      ] as number[][];
      mat4ToRows(image.affine).forEach((row, r) =>
        row.forEach((v, c) => expect(v).toBeCloseTo(expectedAffine[r]?.[c] as number, 6)),
      );
      // Put k back in NIfTI order and compare with nibabel's hash of the file's voxels.
      const slice = w * h;
      const voxels = image.voxels as Int16Array;
      const niftiOrder = new Int16Array(voxels.length);
      for (let k = 0; k < d; k++) {
        niftiOrder.set(voxels.subarray((d - 1 - k) * slice, (d - k) * slice), k * slice);
      }
      expect(createHash('sha256').update(niftiOrder).digest('hex')).toBe(EXPECTED.raw_sha256);
    });
  });

  describe('errors', () => {
    it('names the PACS when it refuses the credentials', async () => {
      const wrong = new DicomwebClient({
        url: pacs.orthanc.dicomwebUrl,
        auth: { kind: 'basic', username: 'pacs-user', password: 'wrong' },
      });
      const error = await wrong.searchStudies().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PacsUnavailableError);
      expect(error).toMatchObject({ kind: 'unavailable' });
      expect((error as Error).message).toContain(`DICOMweb server ${pacs.orthanc.dicomwebUrl} is unavailable`);
      expect((error as Error).message).toContain('401 Unauthorized; check the DICOMweb credentials');
    });
  });
});
