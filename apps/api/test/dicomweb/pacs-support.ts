// A real PACS for the server's DICOMweb specs: Debian's Orthanc with its DICOMweb plugin on 127.0.0.1, holding the
// sample spleen CT as a CT series (written from the NIfTI by the test-side DICOM writer and uploaded with Orthanc's
// own REST API), behind a relay that logs every request the server makes and counts the bytes Orthanc sends.
import * as path from 'node:path';
import { type MedicalImage, readNifti } from '@aiaa/core';
import {
  CT_IMAGE_STORAGE,
  JPEG_2000_LOSSLESS,
  type HttpRelay,
  type OrthancServer,
  type SeriesIdentity,
  TAG,
  dicomSeriesFromImage,
  jpeg2000PixelDataStub,
  orthancMissingReason,
  sliceElements,
  sliceSpec,
  startOrthanc,
  startRelay,
  writeDicomPart10,
} from '@aiaa/core/testing';
import type { RawConfig } from '../../src/config/app-config';
import { REPO_ROOT } from '../support/server-process';

/** Why the PACS specs cannot run here (Orthanc or its plugin missing), or undefined. */
export const ORTHANC_MISSING = orthancMissingReason();

export const SPLEEN_CT = path.join(REPO_ROOT, 'samples', 'spleen_8_ct.nii.gz');
export const SPLEEN_LABEL = path.join(REPO_ROOT, 'samples', 'spleen_8_label.nii.gz');

/** The series the sample CT becomes: 32 instances, instance k + 1 holding NIfTI slice k. */
export const SPLEEN: SeriesIdentity = {
  studyUid: '1.2.826.0.1.3680043.8.1055.7.20240102.1',
  seriesUid: '1.2.826.0.1.3680043.8.1055.7.20240102.1.2',
  frameOfReferenceUid: '1.2.826.0.1.3680043.8.1055.7.20240102.1.9',
  patientId: 'spleen_8',
  patientName: 'Spleen^Eight',
  studyDate: '20240102',
  studyTime: '093000',
  seriesDescription: 'spleen CT axial 7.5 mm',
  seriesNumber: 2,
};

/** The sample CT's sizes [i, j, k]. */
export const SIZE = [512, 512, 32] as const;
export const SLICE_VOXELS = SIZE[0] * SIZE[1];

export interface SpleenPacs {
  readonly orthanc: OrthancServer;
  /** What the server under test is pointed at: the relay in front of Orthanc's DICOMweb root. */
  readonly relay: HttpRelay;
  /** The CT the series was written from. */
  readonly nifti: MedicalImage;
  /** Bytes of the series' 32 Part 10 files. */
  readonly seriesBytes: number;
  /** Settings for a server reading this PACS through the relay, with Orthanc's credentials. */
  settings(extra?: RawConfig): RawConfig;
}

/**
 * Starts Orthanc with the spleen series and its relay before the block's tests (call it before `useTestApp`, whose
 * settings read it), and stops both after them.
 */
export function useSpleenPacs(): SpleenPacs {
  let state: Omit<SpleenPacs, 'settings'> | undefined;
  const started = (): Omit<SpleenPacs, 'settings'> => {
    if (!state) {
      throw new Error("useSpleenPacs: the PACS starts in the block's beforeAll");
    }
    return state;
  };
  beforeAll(async () => {
    const nifti = await readNifti(SPLEEN_CT);
    const instances = dicomSeriesFromImage(nifti, SPLEEN);
    const orthanc = await startOrthanc();
    for (const instance of instances) {
      await orthanc.upload(instance.bytes);
    }
    const relay = await startRelay(orthanc.dicomwebUrl, 'chunked');
    state = { orthanc, relay, nifti, seriesBytes: instances.reduce((sum, i) => sum + i.bytes.length, 0) };
  }, 60_000);
  afterAll(async () => {
    await state?.relay.close();
    await state?.orthanc.stop();
  }, 30_000);
  return {
    get orthanc() {
      return started().orthanc;
    },
    get relay() {
      return started().relay;
    },
    get nifti() {
      return started().nifti;
    },
    get seriesBytes() {
      return started().seriesBytes;
    },
    settings: (extra = {}) => {
      const auth = started().orthanc.auth;
      if (auth.kind !== 'basic') {
        throw new Error('the spleen PACS uses basic auth');
      }
      return {
        dicomweb: started().relay.url,
        dicomwebUser: auth.username,
        dicomwebPassword: auth.password,
        ...extra,
      };
    },
  };
}

/** The requests the server made to the PACS since `from` (an index into the relay's log), as `METHOD path`. */
export function requestsSince(relay: HttpRelay, from: number): string[] {
  return relay
    .requests()
    .slice(from)
    .map((request) => `${request.method} ${request.url.split('?')[0] ?? ''}`);
}

/**
 * Whether `fromSeries` (on the grid the series assembles to) is `fromNifti` (on the NIfTI's grid) with k reversed:
 * the slices' row × column normal points down, so the series runs top to bottom where the NIfTI runs bottom to top.
 * Answers the number of voxels that differ.
 */
export function differencesWithKReversed(fromSeries: ArrayLike<number>, fromNifti: ArrayLike<number>): number {
  let differences = 0;
  const depth = SIZE[2];
  for (let k = 0; k < depth; k++) {
    const a = (depth - 1 - k) * SLICE_VOXELS;
    const b = k * SLICE_VOXELS;
    for (let n = 0; n < SLICE_VOXELS; n++) {
      differences += fromSeries[a + n] === fromNifti[b + n] ? 0 : 1;
    }
  }
  return differences;
}

/**
 * One CT instance of a new series in the spleen study whose pixel data is encapsulated JPEG 2000 Lossless: a code
 * stream of only its SOC and SIZ markers, which Orthanc stores and indexes but cannot decode (its built-in codecs lack
 * JPEG 2000), so it can send the series only as stored.
 */
export function jpeg2000Instance(seriesUid: string): Buffer {
  const sopInstanceUid = `${seriesUid}.1`;
  const elements = [
    ...sliceElements(sliceSpec(0, { seriesUid })).filter((element) => element.tag !== TAG.pixelData),
    { tag: 0x00080016, vr: 'UI', value: CT_IMAGE_STORAGE },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x0020000d, vr: 'UI', value: SPLEEN.studyUid },
    { tag: 0x00100020, vr: 'LO', value: SPLEEN.patientId },
  ];
  const file = writeDicomPart10(elements, JPEG_2000_LOSSLESS, {
    classUid: CT_IMAGE_STORAGE,
    instanceUid: sopInstanceUid,
  });
  return Buffer.concat([file, jpeg2000PixelDataStub()]);
}
