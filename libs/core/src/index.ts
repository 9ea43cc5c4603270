// The public surface of @aiaa/core, for the server, the tools and plugin authors (who get this module as it is).
// Test builders are in @aiaa/core/testing.

/** Errors with a `kind` the server maps to an HTTP status, and messages that name the file, field or config path. */
export {
  AiaaError,
  CancelledError,
  ConfigError,
  EngineUnavailableError,
  InvalidInputError,
  InvalidNiftiError,
  ModelNotFoundError,
  TimeoutError,
  TooLargeError,
  UnsupportedMediaError,
  describeError,
  type ErrorKind,
} from './errors';

/**
 * A request's allocation budget: every array whose size a client controls is checked against it before it is
 * allocated (TooLargeError, 413, naming the array and its size).
 */
export {
  AllocationBudget,
  MAX_ARRAY_LENGTH,
  countOf,
  describeArray,
  formatBytes,
  type AllocationBudgetSpec,
} from './budget/allocation-budget';

/** "Did you mean": the known names closest to a misspelt key or transform name. */
export { closestNames, didYouMean, editDistance } from './text/closest-names';

/** 4×4 affines (voxel (i, j, k) → RAS+ mm), row-major. */
export {
  applyMat4,
  identityMat4,
  invertMat4,
  mat4FromRows,
  mat4ToRows,
  multiplyMat4,
  scalingAffine,
  spacingFromAffine,
  type Mat4,
} from './image/affine';

/** Voxel datatypes: one typed array per image, allocated, viewed and cast without per-voxel objects. */
export {
  VOXEL_CHUNK,
  VOXEL_DTYPES,
  allocateVoxels,
  bytesPerVoxel,
  castVoxels,
  dtypeOf,
  isIntegerDType,
  isVoxelDType,
  readVoxelChunk,
  viewVoxels,
  type VoxelArray,
  type VoxelDType,
} from './image/dtype';

/** Shape formats (`DHW`, `CDHW`, `HW`, …): what each axis of an image's shape is. */
export {
  SHAPE_FORMATS,
  channelAxis,
  hasChannels,
  isShapeFormat,
  spatialRank,
  type ShapeFormat,
} from './image/shape-format';

/** The medical image: voxels, shape format, affine and the header it was read with. */
export { MedicalImage, type MedicalImageInit } from './image/medical-image';

/** The NIfTI header fields an image carries, so a result is written back with its input's metadata. */
export type { NiftiHeader } from './image/nifti-header';

/** Connected components of a label volume, labelled over runs of each row; the largest kept. */
export {
  keepLargestComponents,
  labelComponents,
  type ComponentLabels,
  type Connectivity,
  type KeepLargestOptions,
} from './image/connected-components';

/** Resampling to a shape or a voxel spacing (nearest or linear). */
export { resampleToShape, resampleToSpacing, type ResampleMode } from './image/resample';

/** Axis orientation codes and the reorientation to the closest canonical (RAS) grid, and its undoing. */
export {
  axisCodes,
  closestCanonical,
  nearestOrthogonal3,
  undoReorientation,
  voxelAxesOrientation,
  type Reorientation,
} from './image/orientation';

/** Points and sizes from request params (`points`, `foreground`, `spatial_size`), checked against the image. */
export {
  MAX_POINTS,
  gridSizeIjk,
  mapPoints,
  readPoint,
  readPointList,
  readSizeList,
  type Point3,
  type PointListOptions,
} from './image/points';

/** NIfTI-1/2 reading: the header alone, the grid alone (header only), or the whole image, within byte limits. */
export { readNiftiHeader } from './nifti/read-nifti-header';
/** Decoding a NIfTI file's bytes (gzip or not) into an image. */
export { decodeNifti, isGzip } from './nifti/decode-nifti';
/** Limits of a NIfTI read (largest voxel payload, cancellation). */
export { DEFAULT_MAX_NIFTI_BYTES, type ReadNiftiOptions } from './nifti/nifti-decoder';
/** Reads a NIfTI file into an image, streaming and inflating within the limits. */
export { readNifti, type ReadNiftiFileOptions } from './nifti/read-nifti';
/** A NIfTI file's grid (sizes, affine) from its header alone: the voxels are never read. */
export { readNiftiGrid, type NiftiGrid, type ReadNiftiGridOptions } from './nifti/read-nifti-grid';
/** The affine a NIfTI header gives (sform, else qform, else the base affine). */
export { affineFromHeader } from './nifti/nifti-affine';
/**
 * Encoding an image as NIfTI bytes: joined, or as header and voxels apart (a view, no copy) for a writer that streams
 * them.
 */
export { encodeNifti, encodeNiftiParts, type EncodeNiftiOptions, type EncodedNifti } from './nifti/encode-nifti';
/** Writes an image as a NIfTI file; `.nii.gz` is gzipped. */
export { writeNifti, type WriteNiftiOptions } from './nifti/write-nifti';

/** NRRD writing (header and voxels), for writers that answer NRRD. */
export { encodeNrrdParts, type EncodeNrrdOptions } from './nrrd/encode-nrrd';
/** Writes an image as an NRRD file. */
export { writeNrrd, type WriteNrrdOptions } from './nrrd/write-nrrd';

/** One uncompressed DICOM instance (a slice): geometry, rescale and stored pixels. */
export { isDicomPart10, readDicomInstance, type DicomInstance, type DicomPixels } from './dicom/dicom-instance';
/** A DICOM series assembled into one image: slices sorted along their normal, rescaled, LPS turned into RAS. */
export { assembleDicomSeries } from './dicom/dicom-series';
/** Reads the files of a DICOM series and assembles them, within a pixel budget. */
export { isDicomFile, readDicomSeries, type DicomFile, type ReadDicomSeriesOptions } from './dicom/read-dicom-series';
/** The uncompressed transfer syntaxes the instance reader decodes, and names of compressed ones for messages. */
export {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  NATIVE_TRANSFER_SYNTAXES,
  describeTransferSyntax,
} from './dicom/transfer-syntax';

/** A label volume written as a binary DICOM SEG that references its source series, within the event loop's turns. */
export {
  SEGMENTATION_STORAGE,
  encodeDicomSeg,
  type DicomSeg,
  type DicomSegOptions,
} from './dicom/seg/encode-dicom-seg';
/** What a SEG references of its source series, and the label's grid matched to the source slices by position. */
export { segGrid, type SegGrid, type SegSourceInstance, type SegSourceSeries } from './dicom/seg/seg-geometry';
/** The segments of a label volume: each non-zero value, named `label <value>`. */
export { segmentsOf, type SegSegment } from './dicom/seg/seg-segments';

/** A DICOMweb client: QIDO-RS search, WADO-RS retrieval (streamed, uncompressed, bounded), STOW-RS store. */
export { DicomwebClient, type QidoQuery } from './dicomweb/dicomweb-client';
/** Where a DICOMweb server is, and the basic or bearer credentials sent to it. */
export type { DicomwebAuth, DicomwebConnection, DicomwebRequest } from './dicomweb/dicomweb-http';
/** DICOMweb failures by kind: the PACS unreachable or failing (503), a refused request (404, …), a series over its limit. */
export { PacsRequestError, PacsUnavailableError, SeriesTooLargeError } from './dicomweb/dicomweb-errors';
/** The DICOM JSON model of QIDO-RS and metadata answers, and readers of its values by tag. */
export {
  DICOM_TAG,
  jsonNumber,
  jsonNumbers,
  jsonString,
  jsonStrings,
  type DicomJsonDataset,
  type DicomJsonElement,
} from './dicomweb/dicom-json';
/** Studies, series and instances as QIDO-RS lists them. */
export type { DicomwebInstance, DicomwebSeries, DicomwebStudy } from './dicomweb/qido-records';
/** A WADO-RS series retrieval's limits, and the Part 10 instances it yields. */
export type { RetrieveSeriesOptions, RetrievedInstance } from './dicomweb/wado-retrieve';
/** One instance a STOW-RS store kept. */
export type { StoredInstance } from './dicomweb/stow-store';
/** A series found by its SeriesInstanceUID, retrieved and assembled into one image, within a byte limit. */
export { loadDicomwebSeries, type LoadSeriesOptions, type LoadedSeries } from './dicomweb/load-dicomweb-series';
/** A `multipart/related` body read part by part as it streams in, and Content-Type parsing. */
export {
  MultipartSyntaxError,
  boundaryOf,
  parseContentType,
  readMultipartParts,
  type MultipartPart,
} from './dicomweb/multipart-related';
/** A SEG's source series from its WADO-RS metadata. */
export { segSourceFromMetadata } from './dicomweb/seg-source';

/** Outlines of a label mask, slice by slice, as the AIAA clients read polygons. */
export { maskToPolygons, traceMaskSlices, type MaskToPolygonOptions, type Polygon } from './polygon/mask-to-polygon';
/** Polygons painted into a plane or a volume mask (inside by the even-odd rule, or on the outline). */
export { MAX_ROW_CROSSINGS, paintPlane, paintVolume } from './polygon/polygon-mask';
/** The scanline fill under {@link paintPlane}: one slice, and the crossings it costs. */
export { countRowCrossings, paintPolygons } from './polygon/polygon-raster';
/** A polygon vertex moved, its neighbours (and the same polygon on nearby slices) dragged along. */
export {
  falloff,
  moveVertex,
  moveVertexAcrossSlices,
  nearestVertex,
  type SliceVertex,
  type VertexOffset,
} from './polygon/polygon-vertex-move';

/** 8-bit greyscale PNG writing, and a PNG's size from its header. */
export { crc32, encodeGreyPng, isPng, readPngSize } from './png/grey-png';

/** A least-recently-used map bounded by entries and bytes. */
export { LruCache, type LruCacheOptions } from './cache/lru-cache';
/** Async work run one at a time per key, in order. */
export { Serializer } from './async/serializer';

/** The context a model's pipeline runs on: its images, their geometric histories, properties, the writer's output. */
export { TransformContext, type TransformContextInit, type WriterOutput } from './transforms/transform-context';
/** A transform definition (name, AIAA aliases, argument parser, `apply`, `invert`), and a resolver for plugins'. */
export {
  defineTransform,
  type CustomTransformResolver,
  type Transform,
  type TransformDefinition,
} from './transforms/transform';
/** The registry of transform definitions by name and alias: builds a config's steps, naming the config path. */
export { TransformRegistry, formatIssues } from './transforms/registry';
/** Every built-in transform definition, one per file of `transforms/catalogue/`. */
export { CATALOGUE } from './transforms/catalogue';
/** Argument readers shared by transform definitions (`keys`, flags, positive triples). */
export { flag, keyArgs, keyList, positiveTriple, resolveKeys } from './transforms/args';
/** The geometric steps recorded per image, so RestoreOriginalShape can undo them, and the grid points index. */
export { GeometryHistory, originalGrid, type GeometryStep, type GridBefore } from './transforms/geometry-history';
