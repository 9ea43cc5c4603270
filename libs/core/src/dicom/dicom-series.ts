import { InvalidInputError } from '../errors';
import { mat4FromRows } from '../image/affine';
import type { VoxelArray } from '../image/dtype';
import { MedicalImage } from '../image/medical-image';
import type { DicomInstance } from './dicom-instance';

/** Direction cosines and spacings that differ by less than this are the same. */
const GEOMETRY_TOLERANCE = 1e-4;
/** Slices closer than this along the normal (mm) are the same slice sent twice. */
const DUPLICATE_GAP_MM = 1e-3;
/** A gap further than this fraction from the mean spacing means a missing or stray slice. */
const UNEVEN_GAP_FRACTION = 0.1;
/** Voxels rescaled between two yields to the event loop (~10 ms of work), so other requests keep being served. */
const VOXELS_PER_TURN = 2 ** 22;

/**
 * Builds one 3-D image from the single-frame instances of a series, as a DICOM reader such as ITK's does:
 * slices sorted by their position along the slice normal (row cosines × column cosines), voxels rescaled
 * (stored × RescaleSlope + RescaleIntercept) into `DHW` with W = Columns, H = Rows, D = slices, and the affine
 * taken from the DICOM geometry, turned from LPS into RAS+.
 *
 * Voxels are int16 when every rescaled value is a whole number in int16 range, uint16 when they are whole and fit
 * only there, float32 otherwise.
 *
 * @throws InvalidInputError naming the first part that differs from the first one (SeriesInstanceUID, Rows,
 *   Columns, ImageOrientationPatient, PixelSpacing), the two parts of a duplicate or uneven slice gap, or a
 *   degenerate orientation.
 */
export async function assembleDicomSeries(instances: readonly DicomInstance[], source: string): Promise<MedicalImage> {
  const first = instances[0];
  if (!first) {
    throw new InvalidInputError('DICOM series: no instances');
  }
  for (const instance of instances) {
    checkSameGeometry(first, instance);
  }
  const normal = sliceNormal(first);
  const sorted = instances
    .map((instance) => ({ instance, along: dot(instance.positionLps, normal) }))
    .sort((a, b) => a.along - b.along);
  const sliceSpacingMm = spacingOf(sorted, first);

  const voxels = await rescaledVoxels(sorted.map((s) => s.instance));
  const [r0, r1, r2, c0, c1, c2] = first.orientation;
  const [rowSpacingMm, columnSpacingMm] = first.pixelSpacingMm;
  const origin = (sorted[0] as { instance: DicomInstance }).instance.positionLps;
  // DICOM patient coordinates are LPS; RAS+ negates x and y. Column index i runs along the row direction (one
  // column apart), row index j along the column direction (one row apart), k along the normal.
  const affine = mat4FromRows([
    [-r0 * columnSpacingMm, -c0 * rowSpacingMm, -normal[0] * sliceSpacingMm, -origin[0]],
    [-r1 * columnSpacingMm, -c1 * rowSpacingMm, -normal[1] * sliceSpacingMm, -origin[1]],
    [r2 * columnSpacingMm, c2 * rowSpacingMm, normal[2] * sliceSpacingMm, origin[2]],
    [0, 0, 0, 1],
  ]);
  return new MedicalImage({
    voxels,
    shape: [instances.length, first.rows, first.columns],
    shapeFormat: 'DHW',
    affine,
    source,
  });
}

function checkSameGeometry(first: DicomInstance, other: DicomInstance): void {
  const differs = (field: string, got: unknown, expected: unknown): InvalidInputError =>
    new InvalidInputError(
      `${other.part}: ${field} ${JSON.stringify(got)} differs from ${first.part}'s ${JSON.stringify(expected)}; ` +
        'all parts must be slices of one series with one geometry',
    );
  if (other.seriesUid !== first.seriesUid) {
    throw differs('SeriesInstanceUID', other.seriesUid, first.seriesUid);
  }
  if (other.rows !== first.rows || other.columns !== first.columns) {
    throw differs('Rows × Columns', [other.rows, other.columns], [first.rows, first.columns]);
  }
  if (!nearlyEqual(other.orientation, first.orientation, GEOMETRY_TOLERANCE)) {
    throw differs('ImageOrientationPatient', other.orientation, first.orientation);
  }
  const spacingTolerance = GEOMETRY_TOLERANCE * Math.max(...first.pixelSpacingMm);
  if (!nearlyEqual(other.pixelSpacingMm, first.pixelSpacingMm, spacingTolerance)) {
    throw differs('PixelSpacing', other.pixelSpacingMm, first.pixelSpacingMm);
  }
}

/** The unit slice normal: row cosines × column cosines (a right-handed i, j, k in LPS). */
function sliceNormal(instance: DicomInstance): [number, number, number] {
  const [r0, r1, r2, c0, c1, c2] = instance.orientation;
  const n: [number, number, number] = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
  const length = Math.hypot(...n);
  // Unit, perpendicular cosines give |n| = 1; parallel or zero ones leave no slice direction.
  if (!(length > 0.5)) {
    throw new InvalidInputError(
      `${instance.part}: ImageOrientationPatient ${JSON.stringify(instance.orientation)} does not give two ` +
        'perpendicular unit directions',
    );
  }
  return [n[0] / length, n[1] / length, n[2] / length];
}

/**
 * The slice spacing in mm: the mean gap between sorted positions, every gap within 10% of it. A single slice
 * takes its SliceThickness (1 mm when absent).
 */
function spacingOf(sorted: readonly { instance: DicomInstance; along: number }[], first: DicomInstance): number {
  const last = sorted[sorted.length - 1];
  const head = sorted[0];
  if (!last || !head || sorted.length === 1) {
    return first.sliceThicknessMm && first.sliceThicknessMm > 0 ? first.sliceThicknessMm : 1;
  }
  const pairs = sorted
    .slice(1)
    .map((b, k) => ({ a: sorted[k] as typeof b, b, gapMm: b.along - (sorted[k] as typeof b).along }));
  // Duplicates first: a slice sent twice also makes the gaps uneven, but is the more useful thing to say.
  for (const { a, b, gapMm } of pairs) {
    if (gapMm < DUPLICATE_GAP_MM) {
      throw new InvalidInputError(
        `${b.instance.part}: same slice position as ${a.instance.part} (${round(b.along)} mm along the slice ` +
          'normal); a series holds each slice once',
      );
    }
  }
  const meanGapMm = (last.along - head.along) / (sorted.length - 1);
  for (const { a, b, gapMm } of pairs) {
    if (Math.abs(gapMm - meanGapMm) > UNEVEN_GAP_FRACTION * meanGapMm) {
      throw new InvalidInputError(
        `${a.instance.part} → ${b.instance.part}: slice gap ${round(gapMm)} mm, but the series averages ` +
          `${round(meanGapMm)} mm; slices must be evenly spaced (is one missing?)`,
      );
    }
  }
  return meanGapMm;
}

/** All slices' stored values × slope + intercept, slice after slice, in the narrowest datatype that holds them. */
async function rescaledVoxels(slices: readonly DicomInstance[]): Promise<VoxelArray> {
  let whole = true;
  let min = Infinity;
  let max = -Infinity;
  let sinceYield = 0;
  const pace = async (voxelsDone: number): Promise<void> => {
    sinceYield += voxelsDone;
    if (sinceYield >= VOXELS_PER_TURN) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  for (const slice of slices) {
    await pace(slice.pixels.length);
    const { rescaleSlope: slope, rescaleIntercept: intercept } = slice;
    whole &&= Number.isInteger(slope) && Number.isInteger(intercept);
    const [low, high] = storedRange(slice.pixels);
    const ends = [low * slope + intercept, high * slope + intercept];
    min = Math.min(min, ...ends);
    max = Math.max(max, ...ends);
  }
  const perSlice = (slices[0] as DicomInstance).rows * (slices[0] as DicomInstance).columns;
  const count = perSlice * slices.length;
  const voxels =
    whole && min >= -32768 && max <= 32767
      ? new Int16Array(count)
      : whole && min >= 0 && max <= 65535
        ? new Uint16Array(count)
        : new Float32Array(count);
  for (let k = 0; k < slices.length; k++) {
    const { pixels, rescaleSlope: slope, rescaleIntercept: intercept } = slices[k] as DicomInstance;
    const offset = k * perSlice;
    for (let n = 0; n < perSlice; n++) {
      voxels[offset + n] = (pixels[n] as number) * slope + intercept;
    }
    await pace(perSlice);
  }
  return voxels;
}

function storedRange(pixels: DicomInstance['pixels']): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let n = 0; n < pixels.length; n++) {
    const v = pixels[n] as number;
    if (v < low) {
      low = v;
    }
    if (v > high) {
      high = v;
    }
  }
  return [low, high];
}

function dot(a: readonly number[], b: readonly number[]): number {
  return (
    (a[0] as number) * (b[0] as number) + (a[1] as number) * (b[1] as number) + (a[2] as number) * (b[2] as number)
  );
}

function nearlyEqual(a: readonly number[], b: readonly number[], tolerance: number): boolean {
  return a.length === b.length && a.every((v, n) => Math.abs(v - (b[n] as number)) <= tolerance);
}

function round(mm: number): number {
  return Math.round(mm * 1000) / 1000;
}
