import { maskToPolygons, type Polygon } from './mask-to-polygon';
import { countRowCrossings, paintPolygons } from './polygon-raster';

/** Paints into a fresh slice and draws it as rows of '#' (set) and '.' (clear), top row first. */
function paint(polygons: Polygon[], sizeX: number, sizeY: number): string[] {
  const slice = new Uint8Array(sizeX * sizeY);
  paintPolygons(polygons, slice, sizeX, sizeY);
  return Array.from({ length: sizeY }, (_, y) =>
    Array.from(slice.subarray(y * sizeX, (y + 1) * sizeX), (v) => (v === 0 ? '.' : v === 1 ? '#' : '?')).join(''),
  );
}

/** The mask drawn by rows, as a slice. */
function slice(rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0));
}

describe('paintPolygons', () => {
  it('fills a square exactly: its outline pixels and the inside, nothing else', () => {
    const square: Polygon = [
      [1, 1],
      [3, 1],
      [3, 3],
      [1, 3],
    ];
    expect(paint([square], 5, 5)).toEqual(['.....', '.###.', '.###.', '.###.', '.....']);
  });

  it('fills a right triangle: the pixels with x + y ≤ 4', () => {
    const triangle: Polygon = [
      [0, 0],
      [4, 0],
      [0, 4],
    ];
    expect(paint([triangle], 5, 5)).toEqual(['#####', '####.', '###..', '##...', '#....']);
  });

  it('fills a diamond: the pixels with |x − 2| + |y − 2| ≤ 2', () => {
    const diamond: Polygon = [
      [2, 0],
      [4, 2],
      [2, 4],
      [0, 2],
    ];
    expect(paint([diamond], 5, 5)).toEqual(['..#..', '.###.', '#####', '.###.', '..#..']);
  });

  it('paints one vertex as its pixel and two as the segment between them', () => {
    expect(paint([[[2, 1]]], 4, 3)).toEqual(['....', '..#.', '....']);
    expect(
      paint(
        [
          [
            [0, 0],
            [3, 3],
          ],
        ],
        4,
        4,
      ),
    ).toEqual(['#...', '.#..', '..#.', '...#']);
  });

  it('counts pixel centres only: a square from 0.5 to 2.5 covers the pixels 1..2', () => {
    const square: Polygon = [
      [0.5, 0.5],
      [2.5, 0.5],
      [2.5, 2.5],
      [0.5, 2.5],
    ];
    expect(paint([square], 4, 4)).toEqual(['....', '.##.', '.##.', '....']);
  });

  it('adds overlapping polygons up and clips what lies outside the slice', () => {
    const left: Polygon = [
      [-2, -2],
      [1, -2],
      [1, 1],
      [-2, 1],
    ];
    const right: Polygon = [
      [1, 1],
      [5, 1],
      [5, 2],
      [1, 2],
    ];
    expect(paint([left, right], 4, 3)).toEqual(['##..', '####', '.###']);
  });

  it('uses the even-odd rule inside one polygon: a region it winds around twice stays empty', () => {
    // A cross of two bars drawn as one ring; the square x 2..4, y 2..4 is wound twice, so only its centre (3, 3),
    // which lies on no edge, tells even-odd (clear) from non-zero (set).
    const cross: Polygon = [
      [0, 2],
      [6, 2],
      [6, 4],
      [2, 4],
      [2, 0],
      [4, 0],
      [4, 6],
      [0, 6],
    ];
    expect(paint([cross], 7, 7)).toEqual(['..###..', '..###..', '#######', '###.###', '#######', '#####..', '#####..']);
  });

  describe('paints back what mask2polygon traced', () => {
    const shapes: Record<string, string[]> = {
      rectangle: ['.....', '.###.', '.###.', '.....'],
      'L shape': ['#....', '#....', '#....', '####.', '####.'],
      'U shape (concave)': ['#.#..', '#.#..', '###..', '.....'],
      plus: ['..#..', '..#..', '#####', '..#..', '..#..'],
      staircase: ['#.....', '##....', '.##...', '..###.', '....##'],
      'diagonal pair': ['#...', '.#..', '....'],
      'two blobs': ['##...', '##...', '...##', '....#'],
      disc: ['..###..', '.#####.', '#######', '#######', '#######', '.#####.', '..###..'],
    };
    for (const [name, rows] of Object.entries(shapes)) {
      for (const morePoints of [0, 8]) {
        it(`${name}, more_points ${morePoints}`, () => {
          const sizeX = (rows[0] as string).length;
          const polygons = maskToPolygons(slice(rows), sizeX, rows.length, { morePoints })[0] ?? [];
          expect(paint(polygons, sizeX, rows.length)).toEqual(rows);
        });
      }
    }
  });
});

describe('countRowCrossings', () => {
  const square: Polygon = [
    [1, 1],
    [3, 1],
    [3, 3],
    [1, 3],
  ];

  it('counts each non-horizontal edge once per row from its top up to, not including, its bottom', () => {
    // The two sides of the square each cross rows 1 and 2; the horizontal edges cross none.
    expect(countRowCrossings([square], 5)).toBe(4);
  });

  it('counts only rows inside the slice', () => {
    expect(countRowCrossings([square], 2)).toBe(2);
  });

  it('counts a zigzag once per edge and row: 4 edges over rows 0..3', () => {
    const zigzag: Polygon = [
      [0, 0],
      [1, 4],
      [2, 0],
      [3, 4],
    ];
    expect(countRowCrossings([zigzag], 5)).toBe(16);
  });
});
