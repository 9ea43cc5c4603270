export { DicomwebClient, type QidoQuery } from './dicomweb-client';
export { type DicomwebAuth, type DicomwebConnection } from './dicomweb-http';
export { PacsRequestError, PacsUnavailableError, SeriesTooLargeError } from './dicomweb-errors';
export {
  type DicomJsonDataset,
  type DicomJsonElement,
  DICOM_TAG,
  jsonNumber,
  jsonNumbers,
  jsonString,
  jsonStrings,
} from './dicom-json';
export { type DicomwebInstance, type DicomwebSeries, type DicomwebStudy } from './qido-records';
export { type RetrieveSeriesOptions, type RetrievedInstance } from './wado-retrieve';
export { type StoredInstance } from './stow-store';
export { type LoadSeriesOptions, type LoadedSeries, loadDicomwebSeries } from './load-dicomweb-series';
export {
  type MultipartPart,
  MultipartSyntaxError,
  boundaryOf,
  parseContentType,
  readMultipartParts,
} from './multipart-related';
export { segSourceFromMetadata } from './seg-source';
