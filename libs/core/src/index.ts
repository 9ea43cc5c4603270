// The public surface of @aiaa/core: the medical image, NIfTI and DICOM I/O, the DICOMweb client, the transform context and catalogue, errors.
export * from './errors';
export * from './image/affine';
export * from './image/dtype';
export * from './image/shape-format';
export * from './image/medical-image';
export * from './image/connected-components';
export * from './image/resample';
export * from './image/orientation';
export * from './image/points';
export * from './nifti';
export * from './dicom';
export * from './dicomweb';
export * from './nrrd';
export * from './transforms';
