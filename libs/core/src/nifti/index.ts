export type { NiftiHeader } from './nifti-header';
