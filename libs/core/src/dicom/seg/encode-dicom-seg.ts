// A DICOM Segmentation (PS3.3 §A.51, binary) of a label volume on the grid of its source series: one frame per
// segment and slice where the segment is present, frames bit-packed one after another (PS3.5 §8.1.1).
import { InvalidInputError } from '../../errors';
import type { MedicalImage } from '../../image/medical-image';
import { type DataElement, encodePart10, newUid } from '../encode/dicom-dataset-encoder';
import { type SegGrid, type SegSourceSeries, segGrid } from './seg-geometry';
import { type SegSegment, segmentItem, segmentsOf } from './seg-segments';

/** The SOP Class UID of DICOM Segmentation Storage, the class of every SEG this library writes. */
export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';
const SEGMENT_NUMBER_POINTER = 0x0062000b;
const SEGMENT_IDENTIFICATION_SEQUENCE = 0x0062000a;
const IMAGE_POSITION_POINTER = 0x00200032;
const PLANE_POSITION_SEQUENCE = 0x00209113;
/** Voxels tested between two yields to the event loop (~10 ms of work). */
const VOXELS_PER_TURN = 2 ** 22;

/** What to write besides the label. */
export interface DicomSegOptions {
  /** The segments: label value → name; default: every non-zero value in the label, named `label <value>`. */
  readonly segments?: readonly SegSegment[];
  readonly seriesDescription?: string;
  readonly seriesNumber?: number;
  /** The algorithm (model) that made the label. */
  readonly algorithmName?: string;
  readonly softwareVersion?: string;
  /** Content date and time (default: now). */
  readonly createdAt?: Date;
}

/** The SEG file and its UIDs. */
export interface DicomSeg {
  readonly bytes: Uint8Array;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly frames: number;
}

/**
 * Writes `labels` (a `DHW` volume of integer label values on the source series' grid) as a binary DICOM SEG that
 * references the source series: Patient, General Study, General and Segmentation Series, Frame of Reference,
 * General and Enhanced General Equipment, Image Pixel, Segmentation Image, Multi-frame Functional Groups (per frame:
 * plane position, derivation from the source instance, segment), Multi-frame Dimension, Common Instance Reference
 * and SOP Common. A label without any segment voxel gets one empty frame (a SEG holds at least one).
 *
 * @throws InvalidInputError when the label is not on the series' grid (see segGrid) or a segment value is not
 *   an integer 1–65535.
 */
export async function encodeDicomSeg(
  labels: MedicalImage,
  source: SegSourceSeries,
  options: DicomSegOptions = {},
): Promise<DicomSeg> {
  const grid = segGrid(labels, source);
  const segments = options.segments ?? (await segmentsOf(labels));
  for (const segment of segments) {
    if (!Number.isInteger(segment.value) || segment.value < 1 || segment.value > 65535) {
      throw new InvalidInputError(
        `DICOM SEG: segment '${segment.label}' has label value ${segment.value}; expected 1–65535`,
      );
    }
  }
  const { frames, pixelData } = await packFrames(labels, grid, segments);
  const sopInstanceUid = newUid();
  const seriesInstanceUid = newUid();
  const dimensionUid = newUid();
  const created = options.createdAt ?? new Date();
  const date = created.toISOString().slice(0, 10).replace(/-/g, '');
  const time = created.toISOString().slice(11, 19).replace(/:/g, '');
  const { patient, study } = source;
  const software = options.softwareVersion ?? '1';
  const dataset: DataElement[] = [
    // SOP Common
    { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' },
    { tag: 0x00080016, vr: 'UI', value: SEGMENTATION_STORAGE },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00080012, vr: 'DA', value: date },
    { tag: 0x00080013, vr: 'TM', value: time },
    // Patient
    { tag: 0x00100010, vr: 'PN', value: patient.name ?? '' },
    { tag: 0x00100020, vr: 'LO', value: patient.id ?? '' },
    { tag: 0x00100030, vr: 'DA', value: patient.birthDate ?? '' },
    { tag: 0x00100040, vr: 'CS', value: patient.sex ?? '' },
    // General Study
    { tag: 0x0020000d, vr: 'UI', value: study.instanceUid },
    { tag: 0x00080020, vr: 'DA', value: study.date ?? '' },
    { tag: 0x00080030, vr: 'TM', value: study.time ?? '' },
    { tag: 0x00080090, vr: 'PN', value: study.referringPhysicianName ?? '' },
    { tag: 0x00200010, vr: 'SH', value: study.id ?? '' },
    { tag: 0x00080050, vr: 'SH', value: study.accessionNumber ?? '' },
    // General and Segmentation Series
    { tag: 0x00080060, vr: 'CS', value: 'SEG' },
    { tag: 0x0020000e, vr: 'UI', value: seriesInstanceUid },
    { tag: 0x00200011, vr: 'IS', value: options.seriesNumber ?? 300 },
    { tag: 0x0008103e, vr: 'LO', value: options.seriesDescription ?? 'Segmentation' },
    // Frame of Reference
    { tag: 0x00200052, vr: 'UI', value: source.frameOfReferenceUid },
    { tag: 0x00201040, vr: 'LO', value: '' },
    // General and Enhanced General Equipment
    { tag: 0x00080070, vr: 'LO', value: 'aiaa-ts' },
    { tag: 0x00081090, vr: 'LO', value: 'aiaa-ts annotation server' },
    { tag: 0x00181000, vr: 'LO', value: '1' },
    { tag: 0x00181020, vr: 'LO', value: software },
    // General Image, Segmentation Image, Image Pixel, Multi-frame Functional Groups
    { tag: 0x00200013, vr: 'IS', value: 1 },
    { tag: 0x00080008, vr: 'CS', value: ['DERIVED', 'PRIMARY'] },
    { tag: 0x00080023, vr: 'DA', value: date },
    { tag: 0x00080033, vr: 'TM', value: time },
    { tag: 0x00700080, vr: 'CS', value: 'SEGMENTATION' },
    { tag: 0x00700081, vr: 'LO', value: '' },
    { tag: 0x00700084, vr: 'PN', value: '' },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: frames.length },
    { tag: 0x00280010, vr: 'US', value: grid.rows },
    { tag: 0x00280011, vr: 'US', value: grid.columns },
    { tag: 0x00280100, vr: 'US', value: 1 },
    { tag: 0x00280101, vr: 'US', value: 1 },
    { tag: 0x00280102, vr: 'US', value: 0 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00282110, vr: 'CS', value: '00' },
    { tag: 0x00620001, vr: 'CS', value: 'BINARY' },
    { tag: 0x00620002, vr: 'SQ', value: segments.map((s, n) => segmentItem(s, n + 1, options.algorithmName)) },
    { tag: 0x52009229, vr: 'SQ', value: [sharedGroups(grid)] },
    { tag: 0x52009230, vr: 'SQ', value: frames.map((frame) => perFrameGroups(grid, frame)) },
    // Multi-frame Dimension
    { tag: 0x00209221, vr: 'SQ', value: [[{ tag: 0x00209164, vr: 'UI', value: dimensionUid }]] },
    {
      tag: 0x00209222,
      vr: 'SQ',
      value: [
        dimension(dimensionUid, SEGMENT_NUMBER_POINTER, SEGMENT_IDENTIFICATION_SEQUENCE, 'ReferencedSegmentNumber'),
        dimension(dimensionUid, IMAGE_POSITION_POINTER, PLANE_POSITION_SEQUENCE, 'ImagePositionPatient'),
      ],
    },
    // Common Instance Reference: the source series, every instance
    {
      tag: 0x00081115,
      vr: 'SQ',
      value: [
        [
          { tag: 0x0020000e, vr: 'UI', value: source.seriesInstanceUid },
          {
            tag: 0x0008114a,
            vr: 'SQ',
            value: grid.slices.map(({ source: s }) => sopReference(s.sopClassUid, s.sopInstanceUid)),
          },
        ],
      ],
    },
    { tag: 0x7fe00010, vr: 'OB', value: pixelData },
  ];
  return {
    bytes: encodePart10(SEGMENTATION_STORAGE, sopInstanceUid, dataset),
    sopInstanceUid,
    seriesInstanceUid,
    frames: frames.length,
  };
}

/** One frame: segment number (1-based) and label slice k. */
interface Frame {
  readonly segmentNumber: number;
  readonly k: number;
}

/** The frames where each segment is present, and their bits packed LSB first with no padding between frames. */
async function packFrames(
  labels: MedicalImage,
  grid: SegGrid,
  segments: readonly SegSegment[],
): Promise<{ frames: Frame[]; pixelData: Uint8Array }> {
  const perSlice = grid.rows * grid.columns;
  const voxels = labels.voxels;
  const frames: Frame[] = [];
  let sinceYield = 0;
  for (let s = 0; s < segments.length; s++) {
    const value = (segments[s] as SegSegment).value;
    for (let k = 0; k < grid.slices.length; k++) {
      const offset = k * perSlice;
      for (let n = 0; n < perSlice; n++) {
        if (voxels[offset + n] === value) {
          frames.push({ segmentNumber: s + 1, k });
          break;
        }
      }
      sinceYield += perSlice;
      if (sinceYield >= VOXELS_PER_TURN) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
  if (frames.length === 0) {
    frames.push({ segmentNumber: 1, k: 0 });
  }
  const bytes = Math.ceil((frames.length * perSlice) / 8);
  const pixelData = new Uint8Array(bytes + (bytes % 2));
  let bit = 0;
  for (const frame of frames) {
    const value = segments[frame.segmentNumber - 1]?.value;
    const offset = frame.k * perSlice;
    for (let n = 0; n < perSlice; n++, bit++) {
      if (voxels[offset + n] === value) {
        pixelData[bit >>> 3] = (pixelData[bit >>> 3] as number) | (1 << (bit & 7));
      }
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { frames, pixelData };
}

function sharedGroups(grid: SegGrid): DataElement[] {
  return [
    { tag: 0x00209116, vr: 'SQ', value: [[{ tag: 0x00200037, vr: 'DS', value: [...grid.orientation] }]] },
    {
      tag: 0x00289110,
      vr: 'SQ',
      value: [
        [
          { tag: 0x00280030, vr: 'DS', value: [...grid.pixelSpacingMm] },
          { tag: 0x00180050, vr: 'DS', value: grid.sliceSpacingMm },
          { tag: 0x00180088, vr: 'DS', value: grid.sliceSpacingMm },
        ],
      ],
    },
  ];
}

function perFrameGroups(grid: SegGrid, frame: Frame): DataElement[] {
  const slice = grid.slices[frame.k] as SegGrid['slices'][number];
  const sourceImage = [
    ...sopReference(slice.source.sopClassUid, slice.source.sopInstanceUid),
    { tag: 0x0040a170, vr: 'SQ', value: [code('121322', 'DCM', 'Source image for image processing operation')] },
  ];
  return [
    {
      tag: 0x00089124,
      vr: 'SQ',
      value: [
        [
          { tag: 0x00089215, vr: 'SQ', value: [code('113076', 'DCM', 'Segmentation')] },
          { tag: 0x00082112, vr: 'SQ', value: [sourceImage] },
        ],
      ],
    },
    { tag: 0x00209111, vr: 'SQ', value: [[{ tag: 0x00209157, vr: 'UL', value: [frame.segmentNumber, frame.k + 1] }]] },
    { tag: 0x00209113, vr: 'SQ', value: [[{ tag: 0x00200032, vr: 'DS', value: slice.positionLps }]] },
    { tag: 0x0062000a, vr: 'SQ', value: [[{ tag: 0x0062000b, vr: 'US', value: frame.segmentNumber }]] },
  ];
}

function dimension(organizationUid: string, pointer: number, group: number, label: string): DataElement[] {
  return [
    { tag: 0x00209164, vr: 'UI', value: organizationUid },
    { tag: 0x00209165, vr: 'AT', value: pointer },
    { tag: 0x00209167, vr: 'AT', value: group },
    { tag: 0x00209421, vr: 'LO', value: label },
  ];
}

function sopReference(classUid: string, instanceUid: string): DataElement[] {
  return [
    { tag: 0x00081150, vr: 'UI', value: classUid },
    { tag: 0x00081155, vr: 'UI', value: instanceUid },
  ];
}

/** A code sequence item (PS3.3 §8.8). */
export function code(value: string, scheme: string, meaning: string): DataElement[] {
  return [
    { tag: 0x00080100, vr: 'SH', value },
    { tag: 0x00080102, vr: 'SH', value: scheme },
    { tag: 0x00080104, vr: 'LO', value: meaning },
  ];
}
