import { InvalidInputError } from '@aiaa/core';

/**
 * What AIAA's clients send to open a session on a series held by a DICOM node (OHIF's AIAA plugin):
 * `{"dicom": {server_address, server_port, ae_title, query_level, patient_id, study_uid, series_uid}}`. This server
 * reaches its PACS by DICOMweb (`--dicomweb`), so the node's address and AE title are not used: the series is found
 * by its UID there.
 */
export interface DicomReference {
  readonly seriesUid: string;
  /** When given, the series must belong to this study. */
  readonly studyUid?: string;
}

/** A DICOM UID: digits and dots, at most 64 characters. */
const UID = /^[0-9]+(\.[0-9]+)*$/;

/**
 * The DICOM reference of a JSON body, or undefined when the body has no `dicom` key.
 * @throws InvalidInputError naming `dicom`, `dicom.series_uid` or `dicom.study_uid` when they are missing or no UIDs.
 */
export function dicomReferenceOf(body: unknown): DicomReference | undefined {
  if (typeof body !== 'object' || body === null || !('dicom' in body)) {
    return undefined;
  }
  const dicom = (body as { dicom: unknown }).dicom;
  if (typeof dicom !== 'object' || dicom === null || Array.isArray(dicom)) {
    throw new InvalidInputError(
      `request body 'dicom': expected {"series_uid": ..., "study_uid": ...}, got ${JSON.stringify(dicom)}`,
    );
  }
  const fields = dicom as Record<string, unknown>;
  const seriesUid = fields['series_uid'];
  if (seriesUid === undefined || seriesUid === null || seriesUid === '') {
    const level = typeof fields['query_level'] === 'string' ? ` (query_level ${fields['query_level']})` : '';
    throw new InvalidInputError(
      `request body 'dicom.series_uid' is required${level}: a session holds one series, named by its SeriesInstanceUID`,
    );
  }
  const studyUid = fields['study_uid'];
  checkUid('dicom.series_uid', seriesUid);
  if (studyUid !== undefined && studyUid !== null && studyUid !== '') {
    checkUid('dicom.study_uid', studyUid);
    return { seriesUid: seriesUid as string, studyUid: studyUid as string };
  }
  return { seriesUid: seriesUid as string };
}

function checkUid(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length > 64 || !UID.test(value)) {
    throw new InvalidInputError(
      `request body '${field}': expected a DICOM UID (digits and dots, at most 64), got ${JSON.stringify(value)}`,
    );
  }
}
