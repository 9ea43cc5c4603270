import { InvalidInputError } from '../../errors';
import { applyMat4 } from '../../image/affine';
import type { MedicalImage } from '../../image/medical-image';

/** What a segmentation references: the source series' identity, geometry and instances. */
export interface SegSourceSeries {
  readonly patient: {
    readonly name?: string;
    readonly id?: string;
    readonly birthDate?: string;
    readonly sex?: string;
  };
  readonly study: {
    readonly instanceUid: string;
    readonly date?: string;
    readonly time?: string;
    readonly id?: string;
    readonly accessionNumber?: string;
    readonly referringPhysicianName?: string;
  };
  readonly seriesInstanceUid: string;
  readonly frameOfReferenceUid: string;
  /** One per slice, any order. */
  readonly instances: readonly SegSourceInstance[];
}

/** One source slice. */
export interface SegSourceInstance {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** ImagePositionPatient (LPS mm). */
  readonly positionLps: readonly [number, number, number];
  /** ImageOrientationPatient: row then column direction cosines (LPS). */
  readonly orientation: readonly [number, number, number, number, number, number];
}

/** The label grid in DICOM terms, with the source instance under each of its k slices. */
export interface SegGrid {
  readonly rows: number;
  readonly columns: number;
  readonly orientation: readonly [number, number, number, number, number, number];
  /** [between rows, between columns] in mm. */
  readonly pixelSpacingMm: readonly [number, number];
  readonly sliceSpacingMm: number;
  /** Per k slice of the label: its position and the source instance it lies on. */
  readonly slices: readonly { readonly positionLps: [number, number, number]; readonly source: SegSourceInstance }[];
}

/** Positions and directions closer than this (mm, or cosine) are the same. */
const TOLERANCE = 1e-3;

/**
 * Matches a `DHW` label volume to the source series: the label's row and column directions must be the source's,
 * and each k slice must lie on one source slice (found by position, so the label may run in either k order).
 *
 * @throws InvalidInputError saying which direction, slice count or slice position differs.
 */
export function segGrid(labels: MedicalImage, source: SegSourceSeries): SegGrid {
  if (labels.shapeFormat !== 'DHW') {
    throw new InvalidInputError(`DICOM SEG: the label must be a DHW volume, got ${labels.shapeFormat}`);
  }
  const [depth, rows, columns] = labels.shape as [number, number, number];
  if (depth !== source.instances.length) {
    throw new InvalidInputError(
      `DICOM SEG: the label has ${depth} slices but series ${source.seriesInstanceUid} has ${source.instances.length} instances`,
    );
  }
  // LPS = RAS with x and y negated.
  const lps = (p: [number, number, number]): [number, number, number] => [-p[0], -p[1], p[2]];
  const origin = lps(applyMat4(labels.affine, [0, 0, 0]));
  const step = (axis: 0 | 1 | 2): [number, number, number] => {
    const unit: [number, number, number] = [0, 0, 0];
    unit[axis] = 1;
    const p = lps(applyMat4(labels.affine, unit));
    return [p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]];
  };
  const [iStep, jStep, kStep] = [step(0), step(1), step(2)];
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
  const reference = source.instances[0];
  if (!reference || orientation.some((v, n) => Math.abs(v - (reference.orientation[n] as number)) > TOLERANCE)) {
    throw new InvalidInputError(
      `DICOM SEG: the label's row/column directions ${JSON.stringify(orientation.map(round))} differ from series ` +
        `${source.seriesInstanceUid}'s ImageOrientationPatient ${JSON.stringify(reference?.orientation ?? [])}`,
    );
  }
  const sliceSpacingMm = Math.hypot(...kStep);
  const unused = new Set(source.instances);
  const slices = Array.from({ length: depth }, (_, k) => {
    const positionLps: [number, number, number] = [
      origin[0] + k * kStep[0],
      origin[1] + k * kStep[1],
      origin[2] + k * kStep[2],
    ];
    // The nearest source slice, within a quarter slice: an assembled series spaces its slices evenly, the source's
    // positions may vary a little around that.
    let match: SegSourceInstance | undefined;
    let nearestMm = sliceSpacingMm / 4;
    for (const instance of unused) {
      const mm = distance(instance.positionLps, positionLps);
      if (mm <= nearestMm) {
        match = instance;
        nearestMm = mm;
      }
    }
    if (!match) {
      throw new InvalidInputError(
        `DICOM SEG: label slice ${k} at ${JSON.stringify(positionLps.map(round))} (LPS mm) lies on no instance of ` +
          `series ${source.seriesInstanceUid}; the label must be on the series' own grid`,
      );
    }
    unused.delete(match);
    return { positionLps: [...match.positionLps] as [number, number, number], source: match };
  });
  return {
    rows,
    columns,
    orientation,
    pixelSpacingMm: [rowSpacing, columnSpacing],
    sliceSpacingMm,
    slices,
  };
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(
    (a[0] as number) - (b[0] as number),
    (a[1] as number) - (b[1] as number),
    (a[2] as number) - (b[2] as number),
  );
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
