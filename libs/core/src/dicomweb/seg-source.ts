import type { SegSourceInstance, SegSourceSeries } from '../dicom/seg/seg-geometry';
import { InvalidInputError } from '../errors';
import { type DicomJsonDataset, DICOM_TAG as T, jsonNumbers, jsonString } from './dicom-json';

/**
 * What a DICOM SEG needs of its source series, from the series' WADO-RS metadata (one DICOM JSON dataset per
 * instance): patient and study identity from the first instance, and every instance's SOP UIDs and geometry.
 *
 * @throws InvalidInputError naming the instance and attribute that is missing (a SEG cannot reference a slice
 *   without its UIDs, ImagePositionPatient and ImageOrientationPatient, nor a series without FrameOfReferenceUID).
 */
export function segSourceFromMetadata(seriesUid: string, metadata: readonly DicomJsonDataset[]): SegSourceSeries {
  const first = metadata[0];
  if (!first) {
    throw new InvalidInputError(`series ${seriesUid}: the PACS sent no instance metadata`);
  }
  const need = (dataset: DicomJsonDataset, tag: string, name: string, where: string): string => {
    const value = jsonString(dataset, tag);
    if (!value) {
      throw new InvalidInputError(`series ${seriesUid}, ${where}: missing ${name} (${tag}), needed to reference it`);
    }
    return value;
  };
  const instances = metadata.map((dataset, n): SegSourceInstance => {
    const where = `instance ${n + 1}`;
    const positionLps = jsonNumbers(dataset, T.ImagePositionPatient);
    const orientation = jsonNumbers(dataset, T.ImageOrientationPatient);
    if (positionLps.length !== 3 || orientation.length !== 6) {
      throw new InvalidInputError(
        `series ${seriesUid}, ${where}: ImagePositionPatient/ImageOrientationPatient missing or malformed`,
      );
    }
    return {
      sopClassUid: need(dataset, T.SOPClassUID, 'SOPClassUID', where),
      sopInstanceUid: need(dataset, T.SOPInstanceUID, 'SOPInstanceUID', where),
      positionLps: positionLps as [number, number, number],
      orientation: orientation as [number, number, number, number, number, number],
    };
  });
  const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
  return {
    patient: {
      ...optional('name', jsonString(first, T.PatientName)),
      ...optional('id', jsonString(first, T.PatientID)),
      ...optional('birthDate', jsonString(first, T.PatientBirthDate)),
      ...optional('sex', jsonString(first, T.PatientSex)),
    },
    study: {
      instanceUid: need(first, T.StudyInstanceUID, 'StudyInstanceUID', 'instance 1'),
      ...optional('date', jsonString(first, T.StudyDate)),
      ...optional('time', jsonString(first, T.StudyTime)),
      ...optional('id', jsonString(first, T.StudyID)),
      ...optional('accessionNumber', jsonString(first, T.AccessionNumber)),
      ...optional('referringPhysicianName', jsonString(first, T.ReferringPhysicianName)),
    },
    seriesInstanceUid: seriesUid,
    frameOfReferenceUid: need(first, T.FrameOfReferenceUID, 'FrameOfReferenceUID', 'instance 1'),
    instances,
  };
}
