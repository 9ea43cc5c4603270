export { type DicomSeg, type DicomSegOptions, SEGMENTATION_STORAGE, encodeDicomSeg } from './encode-dicom-seg';
export { type SegSourceInstance, type SegSourceSeries, segGrid } from './seg-geometry';
export { type SegSegment, segmentsOf } from './seg-segments';
