// The DICOM JSON model (PS3.18 §F.2) as QIDO-RS and WADO-RS metadata answer it: one object per dataset, keyed by
// the tag as 8 upper-case hex digits, each element `{ vr, Value?: [...] }` (PN values are `{ Alphabetic }` objects).

/** One element of a DICOM JSON dataset. */
export interface DicomJsonElement {
  readonly vr: string;
  readonly Value?: readonly unknown[];
  readonly InlineBinary?: string;
  readonly BulkDataURI?: string;
}

/** One dataset in the DICOM JSON model: tag (`0020000E`) → element. */
export type DicomJsonDataset = Readonly<Record<string, DicomJsonElement>>;

/** The tags read from QIDO-RS answers, by keyword (8 hex digits, as the DICOM JSON model keys them). */
export const DICOM_TAG = {
  StudyDate: '00080020',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyDescription: '00081030',
  SeriesDescription: '0008103E',
  PatientName: '00100010',
  PatientID: '00100020',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  StudyID: '00200010',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  ImagePositionPatient: '00200032',
  ImageOrientationPatient: '00200037',
  FrameOfReferenceUID: '00200052',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
  Rows: '00280010',
  Columns: '00280011',
  PixelSpacing: '00280030',
  ReferringPhysicianName: '00080090',
} as const;

/** The first value of `tag` as a string (PN as its Alphabetic form), or undefined when absent or empty. */
export function jsonString(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'string') {
    return value === '' ? undefined : value;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value === 'object' && value !== null && 'Alphabetic' in value) {
    const alphabetic = (value as { Alphabetic: unknown }).Alphabetic;
    return typeof alphabetic === 'string' && alphabetic !== '' ? alphabetic : undefined;
  }
  return undefined;
}

/** Every value of `tag` as strings (empty when absent). */
export function jsonStrings(dataset: DicomJsonDataset, tag: string): string[] {
  return (dataset[tag]?.Value ?? []).flatMap((v) =>
    typeof v === 'string' || typeof v === 'number' ? [String(v)] : [],
  );
}

/** Every value of `tag` as finite numbers (IS and DS come as numbers or numeric strings); empty when absent. */
export function jsonNumbers(dataset: DicomJsonDataset, tag: string): number[] {
  return (dataset[tag]?.Value ?? []).flatMap((v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    return Number.isFinite(n) ? [n] : [];
  });
}

/** The first value of `tag` as a number, or undefined. */
export function jsonNumber(dataset: DicomJsonDataset, tag: string): number | undefined {
  return jsonNumbers(dataset, tag)[0];
}

/** True when `body` is an array of objects: the shape of every QIDO-RS and metadata answer. */
export function isDicomJsonArray(body: unknown): body is DicomJsonDataset[] {
  return Array.isArray(body) && body.every((item) => typeof item === 'object' && item !== null);
}
