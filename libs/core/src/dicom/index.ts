export { type DicomInstance, type DicomPixels, isDicomPart10, readDicomInstance } from './dicom-instance';
export { assembleDicomSeries } from './dicom-series';
export {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  NATIVE_TRANSFER_SYNTAXES,
  describeTransferSyntax,
} from './transfer-syntax';
export * from './seg';
