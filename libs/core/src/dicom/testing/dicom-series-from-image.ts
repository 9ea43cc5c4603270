// A CT series written from a NIfTI volume for tests, one single-frame instance per k slice, with the geometry taken
// from the NIfTI affine by the DICOM definitions (RAS → LPS negates x and y) and HU stored as unsigned values with
// RescaleIntercept −1024, as scanners store them.
import type { MedicalImage } from '../../image/medical-image';
import { mat4ToRows } from '../../image/affine';
import { CT_IMAGE_STORAGE, type DicomElement, EXPLICIT_LE, sliceElements, writeDicomPart10 } from './dicom-writer';

/** The identifying attributes written into every instance. */
export interface SeriesIdentity {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly frameOfReferenceUid: string;
  readonly patientId: string;
  readonly patientName: string;
  /** YYYYMMDD. */
  readonly studyDate: string;
  /** HHMMSS; not written when absent. */
  readonly studyTime?: string;
  readonly seriesDescription: string;
  readonly seriesNumber: number;
}

/** One written instance. */
export interface WrittenInstance {
  readonly sopInstanceUid: string;
  readonly bytes: Buffer;
}

const INTERCEPT = -1024;

/**
 * The Part 10 files of a `DHW` int16 HU volume: instance k + 1 holds slice k, SOPInstanceUID `<seriesUid>.<k+1>`.
 *
 * @throws RangeError for another datatype or format, or HU below −1024.
 */
export function dicomSeriesFromImage(
  image: MedicalImage,
  identity: SeriesIdentity,
  transferSyntaxUid = EXPLICIT_LE,
): WrittenInstance[] {
  if (image.shapeFormat !== 'DHW' || !(image.voxels instanceof Int16Array)) {
    throw new RangeError(`dicomSeriesFromImage takes a DHW int16 volume, got ${image.shapeFormat} ${image.dtype}`);
  }
  const [depth, rows, columns] = image.shape as [number, number, number];
  const m = mat4ToRows(image.affine);
  // Voxel axis a's step in LPS mm: the affine's column a with x and y negated.
  const stepLps = (a: number): [number, number, number] => [-(m[0]?.[a] ?? 0), -(m[1]?.[a] ?? 0), m[2]?.[a] ?? 0];
  const [iStep, jStep, kStep] = [stepLps(0), stepLps(1), stepLps(2)];
  const columnSpacing = Math.hypot(...iStep);
  const rowSpacing = Math.hypot(...jStep);
  const orientation = [...iStep.map((v) => v / columnSpacing), ...jStep.map((v) => v / rowSpacing)] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const originLps = stepLps(3);
  const perSlice = rows * columns;
  const instances: WrittenInstance[] = [];
  for (let k = 0; k < depth; k++) {
    const stored = new Uint16Array(perSlice);
    for (let n = 0; n < perSlice; n++) {
      const hu = image.voxels[k * perSlice + n] as number;
      if (hu < INTERCEPT) {
        throw new RangeError(`HU ${hu} at slice ${k} is below ${INTERCEPT}`);
      }
      stored[n] = hu - INTERCEPT;
    }
    const sopInstanceUid = `${identity.seriesUid}.${k + 1}`;
    const elements: DicomElement[] = [
      ...sliceElements({
        rows,
        columns,
        pixels: stored,
        signed: false,
        pixelSpacing: [ds(rowSpacing), ds(columnSpacing)],
        positionLps: [0, 1, 2].map((a) => ds((originLps[a] as number) + k * (kStep[a] as number))) as [
          number,
          number,
          number,
        ],
        orientation: orientation.map(ds) as unknown as typeof orientation,
        seriesUid: identity.seriesUid,
        slope: 1,
        intercept: INTERCEPT,
      }),
      { tag: 0x00080016, vr: 'UI', value: CT_IMAGE_STORAGE },
      { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
      { tag: 0x00080020, vr: 'DA', value: identity.studyDate },
      ...(identity.studyTime === undefined ? [] : [{ tag: 0x00080030, vr: 'TM', value: identity.studyTime }]),
      { tag: 0x0008103e, vr: 'LO', value: identity.seriesDescription },
      { tag: 0x00100010, vr: 'PN', value: identity.patientName },
      { tag: 0x00100020, vr: 'LO', value: identity.patientId },
      { tag: 0x00180050, vr: 'DS', value: String(ds(Math.hypot(...kStep))) },
      { tag: 0x0020000d, vr: 'UI', value: identity.studyUid },
      { tag: 0x00200011, vr: 'IS', value: String(identity.seriesNumber) },
      { tag: 0x00200013, vr: 'IS', value: String(k + 1) },
      { tag: 0x00200052, vr: 'UI', value: identity.frameOfReferenceUid },
    ];
    instances.push({
      sopInstanceUid,
      bytes: writeDicomPart10(elements, transferSyntaxUid, { classUid: CT_IMAGE_STORAGE, instanceUid: sopInstanceUid }),
    });
  }
  return instances;
}

/** A DS value fits 16 characters: 10 significant digits (sub-micrometre here) always do. */
function ds(value: number): number {
  return Number(value.toPrecision(10));
}
