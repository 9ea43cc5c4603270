// Test builders for @aiaa/core and its dependants; never imported by production code.
import { type Mat4, identityMat4 } from './image/affine';
import type { VoxelArray } from './image/dtype';
import { MedicalImage } from './image/medical-image';
import type { ShapeFormat } from './image/shape-format';

export * from './dicom/testing/dicom-writer';
export * from './dicom/testing/dicom-series-fixture';
export * from './dicom/testing/dicom-series-from-image';
export * from './dicomweb/testing/orthanc-server';

/** A small image from explicit voxels, for hand-computed expectations. */
export function makeImage<T extends VoxelArray>(
  voxels: T,
  shape: readonly number[],
  shapeFormat: ShapeFormat = 'DHW',
  affine: Mat4 = identityMat4(),
): MedicalImage<T> {
  return new MedicalImage({ voxels, shape, shapeFormat, affine, source: 'test' });
}
