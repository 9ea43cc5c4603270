export { type DicomInstance, type DicomPixels, isDicomPart10, readDicomInstance } from './dicom-instance';
export { assembleDicomSeries } from './dicom-series';
