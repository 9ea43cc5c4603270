import { CancelledError, InvalidInputError } from '../errors';
import { MAX_ROW_CROSSINGS, paintPlane, paintVolume } from './polygon-mask';
import type { Polygon } from './mask-to-polygon';

/** A ring that runs from row 0 to row `height` and back `teeth` times: it crosses every row 2 × teeth times. */
function zigzag(teeth: number, height: number): Polygon {
  const ring: Polygon = [];
  for (let t = 0; t < teeth; t++) {
    ring.push([2 * t, 0], [2 * t + 1, height]);
  }
  return ring;
}

const square: Polygon = [
  [1, 1],
  [2, 1],
  [2, 2],
  [1, 2],
];

describe('paintPlane', () => {
  it('paints a 0/1 mask of width × height', () => {
    expect([...paintPlane([square], 4, 3)]).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0]);
  });

  it('refuses polygons crossing the rows more than the limit, naming params.poly, before painting', () => {
    // 2 × 2100 edges each crossing 1000 rows: 4.2 M crossings.
    const hostile = zigzag(2100, 1000);
    expect(2 * 2100 * 1000).toBeGreaterThan(MAX_ROW_CROSSINGS);
    expect(() => paintPlane([hostile], 10, 1001)).toThrow(InvalidInputError);
    expect(() => paintPlane([hostile], 10, 1001)).toThrow(/params\.poly.*4200000/);
  });
});

/** The zigzag turned to run along x: on a NIfTI slice x is the second voxel axis (j), the axis rows follow. */
function zigzagAlongX(teeth: number, width: number): Polygon {
  return zigzag(teeth, width).map(([x, y]) => [y, x]);
}

describe('paintVolume', () => {
  it('paints slice k from the k-th list and leaves the slices past the list empty', async () => {
    const mask = await paintVolume([[], [square]], [3, 3, 3], new AbortController().signal);
    expect([...mask]).toEqual([
      ...[0, 0, 0, 0, 0, 0, 0, 0, 0],
      ...[0, 0, 0, 0, 1, 1, 0, 1, 1],
      ...[0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('paints vertex [x, y] of slice k at voxel (i = y, j = x, k), as the AIAA clients read NIfTI slices', async () => {
    // On a 4 (i) × 3 (j) × 1 grid, the segment from [x, y] = [0, 1] to [2, 1] is row i = 1 across j = 0..2.
    const mask = await paintVolume(
      [
        [
          [
            [0, 1],
            [2, 1],
          ],
        ],
      ],
      [4, 3, 1],
      new AbortController().signal,
    );
    const set = [...mask.keys()]
      .filter((index) => mask[index] === 1)
      .map((index) => [index % 4, Math.floor(index / 4)]);
    expect(set).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
  });

  it('counts the limit over all slices', async () => {
    // 11 slices of 400 k crossings each: every slice is allowed alone, the volume is not.
    const slices = Array.from({ length: 11 }, () => [zigzagAlongX(200, 1000)]);
    await expect(paintVolume(slices, [4, 1001, 11], new AbortController().signal)).rejects.toThrow(/params\.poly/);
  });

  it('stops at its first turn of the event loop once the client has gone', async () => {
    // 3 slices of 400 k crossings: the first one already reaches a turn of the event loop.
    const slices = Array.from({ length: 3 }, () => [zigzagAlongX(200, 1000)]);
    await expect(paintVolume(slices, [4, 1001, 3], AbortSignal.abort())).rejects.toThrow(CancelledError);
  });
});
