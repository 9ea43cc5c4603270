import { InvalidInputError } from '../errors';
import { mat4ToRows } from '../image/affine';
import {
  COLUMNS,
  EXPECTED_AFFINE,
  ROWS,
  SLICES,
  expectedVoxels,
  positionOfSlice,
  sliceFile,
} from './testing/dicom-series-fixture';
import { IMPLICIT_LE } from './testing/dicom-writer';
import type { SliceSpec } from './testing/dicom-writer';
import { type DicomInstance, readDicomInstance } from './dicom-instance';
import { assembleDicomSeries } from './dicom-series';

/** Instances read from real Part 10 bytes, part `image<n>` holding slice `order[n]`. */
function series(order: readonly number[], changes: (k: number) => Partial<SliceSpec> = () => ({})): DicomInstance[] {
  return order.map((k, n) => readDicomInstance(sliceFile(k, changes(k)), `image${n}`));
}

function expectRows(actual: number[][], expected: number[][]): void {
  actual.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[r]?.[c] as number, 9)));
}

describe('assembleDicomSeries', () => {
  it('sorts slices sent out of order along the normal, rescales them, and places them by the DICOM geometry', async () => {
    const image = await assembleDicomSeries(series([2, 0, 1]), 'series');
    expect(image.shapeFormat).toBe('DHW');
    expect(image.shape).toEqual([SLICES, ROWS, COLUMNS]);
    expect(image.dtype).toBe('int16');
    expect(Array.from(image.voxels)).toEqual(expectedVoxels());
    expectRows(mat4ToRows(image.affine), EXPECTED_AFFINE);
    expect(image.spacingMm.map((mm) => Math.round(mm * 1e9) / 1e9)).toEqual([0.75, 0.5, 2.5]);
  });

  it('gives the same image whatever order the parts arrive in', async () => {
    const reference = await assembleDicomSeries(series([0, 1, 2]), 'series');
    for (const order of [
      [1, 2, 0],
      [2, 1, 0],
    ]) {
      const image = await assembleDicomSeries(series(order), 'series');
      expect(Array.from(image.voxels)).toEqual(Array.from(reference.voxels));
      expect(Array.from(image.affine)).toEqual(Array.from(reference.affine));
    }
  });

  it('reads a series in implicit VR the same way', async () => {
    const instances = [1, 0, 2].map((k, n) => readDicomInstance(sliceFile(k, {}, IMPLICIT_LE), `image${n}`));
    const image = await assembleDicomSeries(instances, 'series');
    expect(Array.from(image.voxels)).toEqual(expectedVoxels());
  });

  it('stores float32 when the rescale gives fractions, uint16 when values pass int16 range', async () => {
    const halves = await assembleDicomSeries(
      series([0, 1], () => ({ slope: 0.5, intercept: 0 })),
      's',
    );
    expect(halves.dtype).toBe('float32');
    // Stored value at (k=0, j=0, i=0) is −7, at (k=1, j=3, i=4) is 100 + 30 + 4 − 7 = 127.
    expect(halves.voxels[0]).toBe(-3.5);
    expect(halves.voxels[2 * ROWS * COLUMNS - 1]).toBe(63.5);

    const bright = await assembleDicomSeries(
      series([0, 1], () => ({ pixels: new Uint16Array(ROWS * COLUMNS).fill(60000), slope: 1, intercept: 0 })),
      's',
    );
    expect(bright.dtype).toBe('uint16');
    expect(bright.voxels[5]).toBe(60000);
  });

  it('takes the slice thickness as the spacing of a single slice', async () => {
    const elements = series([0]);
    const image = await assembleDicomSeries([{ ...(elements[0] as DicomInstance), sliceThicknessMm: 3 }], 's');
    expect(image.shape).toEqual([1, ROWS, COLUMNS]);
    expect(image.spacingMm[2]).toBeCloseTo(3, 9);
  });
});

describe('assembleDicomSeries refuses', () => {
  async function refusal(instances: DicomInstance[]): Promise<string> {
    try {
      await assembleDicomSeries(instances, 'series');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      return (error as Error).message;
    }
    throw new Error('expected a refusal');
  }

  it('slices of another series, naming the first part that differs and the field', async () => {
    const message = await refusal(series([0, 1, 2], (k) => (k === 2 ? { seriesUid: '9.9.9' } : {})));
    expect(message).toMatch(/^image2: SeriesInstanceUID "9\.9\.9" differs from image0's/);
  });

  it('a slice of another size', async () => {
    const message = await refusal(
      series([0, 1], (k) => (k === 1 ? { rows: 2, columns: 10, pixels: new Int16Array(20) } : {})),
    );
    expect(message).toMatch(/^image1: Rows × Columns \[2,10\] differs from image0's \[4,5\]/);
  });

  it('a slice with another orientation or pixel spacing', async () => {
    expect(await refusal(series([0, 1], (k) => (k === 1 ? { orientation: [1, 0, 0, 0, 1, 0] } : {})))).toMatch(
      /^image1: ImageOrientationPatient/,
    );
    expect(await refusal(series([0, 1], (k) => (k === 1 ? { pixelSpacing: [0.75, 0.5] } : {})))).toMatch(
      /^image1: PixelSpacing \[0\.75,0\.5\] differs from image0's \[0\.5,0\.75\]/,
    );
  });

  it('the same slice sent twice, naming both parts', async () => {
    expect(await refusal(series([0, 1, 1]))).toBe(
      'image2: same slice position as image1 (-17.5 mm along the slice normal); a series holds each slice once',
    );
  });

  it('a missing slice (uneven gaps), naming the parts around the gap', async () => {
    // Slices 0, 1, 3: gaps 2.5 and 5 mm around a mean of 3.75 mm.
    const message = await refusal(series([0, 1, 3]));
    expect(message).toBe(
      'image0 → image1: slice gap 2.5 mm, but the series averages 3.75 mm; slices must be evenly spaced (is one missing?)',
    );
  });

  it('parallel row and column directions', async () => {
    expect(await refusal(series([0], () => ({ orientation: [1, 0, 0, 1, 0, 0] })))).toMatch(
      /^image0: ImageOrientationPatient \[1,0,0,1,0,0\] does not give two perpendicular unit directions/,
    );
  });

  it('an empty series', async () => {
    expect(await refusal([])).toBe('DICOM series: no instances');
  });
});

// The fixture's positions are where the geometry says they are (a check on the fixture itself).
it('fixture: consecutive slices are 2.5 mm apart', async () => {
  const [a, b] = [positionOfSlice(0), positionOfSlice(1)];
  expect(Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2])).toBeCloseTo(2.5, 12);
});
