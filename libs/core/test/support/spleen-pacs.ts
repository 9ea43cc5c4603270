// The spleen CT (512×512×32 int16 HU, MSD Task09 case 8) as a DICOM CT series inside a real Orthanc, uploaded with
// Orthanc's own REST API (`POST /instances`), so the DICOMweb client is checked against what Orthanc indexed.
import { join } from 'node:path';
import { type SeriesIdentity, dicomSeriesFromImage } from '../../src/dicom/testing/dicom-series-from-image';
import { type OrthancServer, startOrthanc } from '../../src/dicomweb/testing/orthanc-server';
import type { MedicalImage } from '../../src/image/medical-image';
import { readNifti } from '../../src/nifti/read-nifti';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export const SPLEEN: SeriesIdentity = {
  studyUid: '1.2.826.0.1.3680043.8.1055.1.20240102.1',
  seriesUid: '1.2.826.0.1.3680043.8.1055.1.20240102.1.2',
  frameOfReferenceUid: '1.2.826.0.1.3680043.8.1055.1.20240102.1.9',
  patientId: 'spleen_8',
  patientName: 'Spleen^Eight',
  studyDate: '20240102',
  seriesDescription: 'spleen CT axial 7.5 mm',
  seriesNumber: 2,
};

export interface SpleenPacs {
  readonly orthanc: OrthancServer;
  /** The NIfTI the series was written from. */
  readonly nifti: MedicalImage;
  /** Bytes of the 32 Part 10 files. */
  readonly seriesBytes: number;
}

/** Starts Orthanc and uploads the spleen series; the caller stops it. */
export async function startSpleenPacs(): Promise<SpleenPacs> {
  const nifti = await readNifti(join(FIXTURES, 'spleen_8_ct.nii.gz'));
  const instances = dicomSeriesFromImage(nifti, SPLEEN);
  const orthanc = await startOrthanc();
  try {
    for (const instance of instances) {
      await orthanc.upload(instance.bytes);
    }
  } catch (error) {
    await orthanc.stop();
    throw error;
  }
  return { orthanc, nifti, seriesBytes: instances.reduce((sum, i) => sum + i.bytes.length, 0) };
}
