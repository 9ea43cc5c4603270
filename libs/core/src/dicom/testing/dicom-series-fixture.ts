// A small oblique CT series with hand-chosen geometry and values, and the image it must assemble into (computed by
// hand from the DICOM definitions, not by the code under test).
import { EXPLICIT_LE, type SliceSpec, sliceElements, writeDicomPart10 } from './dicom-writer';

/** Rows of each slice. */
export const ROWS = 4;
/** Columns of each slice. */
export const COLUMNS = 5;
/** Slices of the series. */
export const SLICES = 3;

/** Row direction (0.6, 0.8, 0) and column direction (0, 0, −1) in LPS: an oblique, axially rotated sagittal. */
export const ORIENTATION = [0.6, 0.8, 0, 0, 0, -1] as const;
/** [between rows, between columns] — different, so a swap shows. */
export const PIXEL_SPACING = [0.5, 0.75] as const;
/** Distance between neighbouring slices along their normal, in mm. */
export const SLICE_SPACING_MM = 2.5;
/** ImagePositionPatient of the first slice, LPS mm. */
export const FIRST_POSITION_LPS = [10, -20, 30] as const;
/**
 * normal = row × column = (0.8·(−1) − 0·0, 0·0 − 0.6·(−1), 0.6·0 − 0.8·0) = (−0.8, 0.6, 0); slice k sits at
 * FIRST_POSITION + k · 2.5 · normal = (10 − 2k, −20 + 1.5k, 30).
 */
export function positionOfSlice(k: number): [number, number, number] {
  return [10 - 2 * k, -20 + 1.5 * k, 30];
}

/** Stored value at slice k (in space order), row j, column i: distinct everywhere, some negative. */
export function storedValue(k: number, j: number, i: number): number {
  return 100 * k + 10 * j + i - 7;
}

/** Rescaled value (slope 2, intercept −1024) at voxel (i, j, k). */
export function expectedValue(k: number, j: number, i: number): number {
  return 2 * storedValue(k, j, i) - 1024;
}

/** The expected voxels in file order (i fastest, then j, then k). */
export function expectedVoxels(): number[] {
  const out: number[] = [];
  for (let k = 0; k < SLICES; k++) {
    for (let j = 0; j < ROWS; j++) {
      for (let i = 0; i < COLUMNS; i++) {
        out.push(expectedValue(k, j, i));
      }
    }
  }
  return out;
}

/**
 * Voxel → RAS+ affine by hand. LPS → RAS negates x and y.
 * column i: row direction × column spacing = (0.6, 0.8, 0) · 0.75 = (0.45, 0.6, 0) LPS → (−0.45, −0.6, 0) RAS
 * column j: column direction × row spacing = (0, 0, −1) · 0.5 = (0, 0, −0.5) LPS → (0, 0, −0.5) RAS
 * column k: normal × slice spacing = (−0.8, 0.6, 0) · 2.5 = (−2, 1.5, 0) LPS → (2, −1.5, 0) RAS
 * origin: the first slice's position (10, −20, 30) LPS → (−10, 20, 30) RAS
 */
export const EXPECTED_AFFINE = [
  [-0.45, 0, 2, -10],
  [-0.6, 0, -1.5, 20],
  [0, -0.5, 0, 30],
  [0, 0, 0, 1],
];

/** The slice spec of slice k (space order). */
export function sliceSpec(k: number, changes: Partial<SliceSpec> = {}): SliceSpec {
  const pixels = new Int16Array(ROWS * COLUMNS);
  for (let j = 0; j < ROWS; j++) {
    for (let i = 0; i < COLUMNS; i++) {
      pixels[j * COLUMNS + i] = storedValue(k, j, i);
    }
  }
  return {
    rows: ROWS,
    columns: COLUMNS,
    pixels,
    pixelSpacing: PIXEL_SPACING,
    positionLps: positionOfSlice(k),
    orientation: ORIENTATION,
    seriesUid: '1.2.826.0.1.3680043.2.1125.77',
    slope: 2,
    intercept: -1024,
    ...changes,
  };
}

/** The Part 10 file of slice k. */
export function sliceFile(k: number, changes: Partial<SliceSpec> = {}, syntax = EXPLICIT_LE): Buffer {
  return writeDicomPart10(sliceElements(sliceSpec(k, changes)), syntax);
}
