// Test builders for @aiaa/core and its dependants (`@aiaa/core/testing`); never imported by production code.
import { type Mat4, identityMat4 } from './image/affine';
import type { VoxelArray } from './image/dtype';
import { MedicalImage } from './image/medical-image';
import type { ShapeFormat } from './image/shape-format';

/** A small image from explicit voxels, for hand-computed expectations. */
export function makeImage<T extends VoxelArray>(
  voxels: T,
  shape: readonly number[],
  shapeFormat: ShapeFormat = 'DHW',
  affine: Mat4 = identityMat4(),
): MedicalImage<T> {
  return new MedicalImage({ voxels, shape, shapeFormat, affine, source: 'test' });
}

/**
 * DICOM Part 10 files written from elements, by the standard (uncompressed syntaxes, and a JPEG 2000 pixel data stub
 * a PACS stores but cannot decode), for the DICOM readers' tests.
 */
export {
  CT_IMAGE_STORAGE,
  EXPLICIT_BE,
  EXPLICIT_LE,
  IMPLICIT_LE,
  JPEG_2000_LOSSLESS,
  JPEG_BASELINE,
  TAG,
  jpeg2000PixelDataStub,
  sliceElements,
  writeDicomPart10,
  type DicomElement,
  type SliceSpec,
} from './dicom/testing/dicom-writer';
/** A small oblique DICOM series with its hand-computed voxels and affine. */
export {
  COLUMNS,
  EXPECTED_AFFINE,
  FIRST_POSITION_LPS,
  ORIENTATION,
  PIXEL_SPACING,
  ROWS,
  SLICES,
  SLICE_SPACING_MM,
  expectedValue,
  expectedVoxels,
  positionOfSlice,
  sliceFile,
  sliceSpec,
  storedValue,
} from './dicom/testing/dicom-series-fixture';
/** A CT series written from a `DHW` int16 HU volume, one Part 10 instance per slice, its geometry from the affine. */
export {
  dicomSeriesFromImage,
  type SeriesIdentity,
  type WrittenInstance,
} from './dicom/testing/dicom-series-from-image';
/** A real Orthanc with its DICOMweb plugin, on 127.0.0.1 and a free port, with the reason when it cannot start here. */
export {
  ORTHANC_BINARY,
  findDicomwebPlugin,
  orthancMissingReason,
  startOrthanc,
  type OrthancServer,
  type StartOrthancOptions,
} from './dicomweb/testing/orthanc-server';
/** An HTTP relay on 127.0.0.1 in front of a PACS that logs each request and counts the bytes it forwards. */
export { startRelay, type HttpRelay, type RelayedRequest } from './dicomweb/testing/http-relay';
/** Child processes of tests: a free local port, a stop that escalates to SIGKILL, a process's resident memory. */
export { freePort, residentBytes, stopChild } from './async/testing/child-processes';
