import { maskToPolygons, traceMaskSlices } from './mask-to-polygon';

/** A mask from rows of '#' (set) and '.' (clear), one string per row, top row first. */
function mask(...rows: string[]): { voxels: Uint8Array; sizeX: number; sizeY: number } {
  const sizeX = rows[0]?.length ?? 0;
  const voxels = new Uint8Array(sizeX * rows.length);
  rows.forEach((row, y) => {
    for (let x = 0; x < sizeX; x++) {
      voxels[y * sizeX + x] = row[x] === '#' ? 1 : 0;
    }
  });
  return { voxels, sizeX, sizeY: rows.length };
}

describe('maskToPolygons', () => {
  it('returns an empty list for an empty slice', () => {
    const m = mask('....', '....');
    expect(maskToPolygons(m.voxels, m.sizeX, m.sizeY)).toEqual([[]]);
  });

  it('returns a one-point polygon for an isolated pixel', () => {
    const m = mask('....', '..#.', '....');
    expect(maskToPolygons(m.voxels, m.sizeX, m.sizeY)).toEqual([[[[2, 1]]]]);
  });

  it('keeps the four corners of a rectangle, clockwise from the top-left', () => {
    const m = mask('.....', '.###.', '.###.', '.....');
    expect(maskToPolygons(m.voxels, m.sizeX, m.sizeY)).toEqual([
      [
        [
          [1, 1],
          [3, 1],
          [3, 2],
          [1, 2],
        ],
      ],
    ]);
  });

  it('keeps every outline pixel when more_points is 8', () => {
    const m = mask('.....', '.###.', '.###.', '.....');
    expect(maskToPolygons(m.voxels, m.sizeX, m.sizeY, { morePoints: 8 })).toEqual([
      [
        [
          [1, 1],
          [2, 1],
          [3, 1],
          [3, 2],
          [2, 2],
          [1, 2],
        ],
      ],
    ]);
  });

  it('traces a diagonal line out and back, keeping its two ends', () => {
    const m = mask('#..', '.#.', '..#');
    expect(maskToPolygons(m.voxels, m.sizeX, m.sizeY)).toEqual([
      [
        [
          [0, 0],
          [2, 2],
        ],
      ],
    ]);
  });

  it('returns only the outer outline of a ring', () => {
    const m = mask('###', '#.#', '###');
    expect(maskToPolygons(m.voxels, m.sizeX, m.sizeY)).toEqual([
      [
        [
          [0, 0],
          [2, 0],
          [2, 2],
          [0, 2],
        ],
      ],
    ]);
  });

  it('traces a pixel that joins two arms once per side (bridge pixel)', () => {
    // The top-left pixel (1,0) joins an arm going right and an arm going down-left.
    const m = mask('.##', '#..');
    expect(maskToPolygons(m.voxels, m.sizeX, m.sizeY, { morePoints: 8 })).toEqual([
      [
        [
          [1, 0],
          [2, 0],
          [1, 0],
          [0, 1],
        ],
      ],
    ]);
  });

  it('gives one polygon per component and one list per slice (k), any integer dtype', () => {
    const a = mask('#...', '...#');
    const voxels = new Uint16Array(a.voxels.length * 2);
    voxels.set(a.voxels, a.voxels.length); // slice 0 empty, slice 1 holds two pixels
    expect(maskToPolygons(voxels, a.sizeX, a.sizeY)).toEqual([[], [[[0, 0]], [[3, 1]]]]);
  });

  it('handles an L shape with a concave corner', () => {
    const m = mask('#..', '#..', '###');
    expect(maskToPolygons(m.voxels, m.sizeX, m.sizeY)).toEqual([
      [
        [
          [0, 0],
          [0, 1],
          [1, 2],
          [2, 2],
          [0, 2],
        ],
      ],
    ]);
  });
});

describe('traceMaskSlices', () => {
  it('answers vertex [x, y] = [j, i] of each NIfTI slice, counter-clockwise with y down', async () => {
    // A 4 (i) × 3 (j) × 2 mask: slice 1 holds voxels i = 1..2 at j = 0..1 (i fastest in memory).
    const voxels = new Uint8Array(4 * 3 * 2);
    for (const [i, j] of [
      [1, 0],
      [2, 0],
      [1, 1],
      [2, 1],
    ] as const) {
      voxels[12 + j * 4 + i] = 1;
    }
    const slices = await traceMaskSlices(voxels, [4, 3, 2], 0, new AbortController().signal);
    // As an image with rows y = i and columns x = j: rows 1..2, columns 0..1; down the left side first.
    expect(slices).toEqual([
      [],
      [
        [
          [0, 1],
          [0, 2],
          [1, 2],
          [1, 1],
        ],
      ],
    ]);
  });
});
