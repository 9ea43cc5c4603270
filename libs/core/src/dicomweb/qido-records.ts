import { type DicomJsonDataset, DICOM_TAG as T, jsonNumber, jsonString, jsonStrings } from './dicom-json';

/** A study as QIDO-RS lists it. Optional fields are absent when the PACS did not return them. */
export interface DicomwebStudy {
  readonly studyInstanceUid: string;
  readonly patientId?: string;
  readonly patientName?: string;
  /** YYYYMMDD, as DICOM writes dates. */
  readonly studyDate?: string;
  readonly studyDescription?: string;
  readonly accessionNumber?: string;
  readonly modalitiesInStudy: readonly string[];
  readonly numberOfSeries?: number;
  readonly numberOfInstances?: number;
}

/** A series as QIDO-RS lists it (with the study and patient fields a viewer shows beside it). */
export interface DicomwebSeries {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly patientId?: string;
  readonly patientName?: string;
  readonly studyDate?: string;
  /** HHMMSS(.FFFFFF), as DICOM writes times. */
  readonly studyTime?: string;
  readonly modality?: string;
  readonly seriesDescription?: string;
  readonly seriesNumber?: number;
  readonly numberOfInstances?: number;
}

/** An instance as QIDO-RS lists it. */
export interface DicomwebInstance {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid?: string;
  readonly instanceNumber?: number;
}

/** The fields asked for (`includefield`) on top of the defaults, so every listed field comes back from any PACS. */
export const SERIES_INCLUDE_FIELDS = [
  T.PatientID,
  T.PatientName,
  T.StudyDate,
  T.StudyTime,
  T.SeriesDescription,
  T.SeriesNumber,
];
export const STUDY_INCLUDE_FIELDS = [T.PatientID, T.PatientName, T.StudyDate, T.StudyDescription, T.ModalitiesInStudy];

/** A QIDO-RS study result; undefined when it lacks its StudyInstanceUID. */
export function studyOf(dataset: DicomJsonDataset): DicomwebStudy | undefined {
  const studyInstanceUid = jsonString(dataset, T.StudyInstanceUID);
  if (!studyInstanceUid) {
    return undefined;
  }
  return dropUndefined({
    studyInstanceUid,
    patientId: jsonString(dataset, T.PatientID),
    patientName: jsonString(dataset, T.PatientName),
    studyDate: jsonString(dataset, T.StudyDate),
    studyDescription: jsonString(dataset, T.StudyDescription),
    accessionNumber: jsonString(dataset, T.AccessionNumber),
    modalitiesInStudy: jsonStrings(dataset, T.ModalitiesInStudy),
    numberOfSeries: jsonNumber(dataset, T.NumberOfStudyRelatedSeries),
    numberOfInstances: jsonNumber(dataset, T.NumberOfStudyRelatedInstances),
  });
}

/** A QIDO-RS series result; undefined when it lacks its study or series UID. */
export function seriesOf(dataset: DicomJsonDataset): DicomwebSeries | undefined {
  const studyInstanceUid = jsonString(dataset, T.StudyInstanceUID);
  const seriesInstanceUid = jsonString(dataset, T.SeriesInstanceUID);
  if (!studyInstanceUid || !seriesInstanceUid) {
    return undefined;
  }
  return dropUndefined({
    studyInstanceUid,
    seriesInstanceUid,
    patientId: jsonString(dataset, T.PatientID),
    patientName: jsonString(dataset, T.PatientName),
    studyDate: jsonString(dataset, T.StudyDate),
    studyTime: jsonString(dataset, T.StudyTime),
    modality: jsonString(dataset, T.Modality),
    seriesDescription: jsonString(dataset, T.SeriesDescription),
    seriesNumber: jsonNumber(dataset, T.SeriesNumber),
    numberOfInstances: jsonNumber(dataset, T.NumberOfSeriesRelatedInstances),
  });
}

/** A QIDO-RS instance result; undefined when it lacks a UID. */
export function instanceOf(dataset: DicomJsonDataset): DicomwebInstance | undefined {
  const studyInstanceUid = jsonString(dataset, T.StudyInstanceUID);
  const seriesInstanceUid = jsonString(dataset, T.SeriesInstanceUID);
  const sopInstanceUid = jsonString(dataset, T.SOPInstanceUID);
  if (!studyInstanceUid || !seriesInstanceUid || !sopInstanceUid) {
    return undefined;
  }
  return dropUndefined({
    studyInstanceUid,
    seriesInstanceUid,
    sopInstanceUid,
    sopClassUid: jsonString(dataset, T.SOPClassUID),
    instanceNumber: jsonNumber(dataset, T.InstanceNumber),
  });
}

/** The record without its undefined fields (so `toEqual` and JSON see only what the PACS sent). */
function dropUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
