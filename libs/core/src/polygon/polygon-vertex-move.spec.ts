import type { Polygon } from './mask-to-polygon';
import { falloff, moveVertex, moveVertexAcrossSlices, nearestVertex } from './polygon-vertex-move';

const square = (): Polygon => [
  [0, 0],
  [4, 0],
  [4, 4],
  [0, 4],
];

describe('falloff', () => {
  it('is 1, 2/3, 1/3, then 0 for two neighbours', () => {
    expect([0, 1, 2, 3].map((d) => falloff(d, 2))).toEqual([1, 2 / 3, 1 / 3, 0]);
  });

  it('is 1 for the moved vertex and 0 for every other one with no neighbours', () => {
    expect([0, 1].map((d) => falloff(d, 0))).toEqual([1, 0]);
  });
});

describe('moveVertex', () => {
  it('moves the vertex by the offset and two neighbours each side by 2/3 and 1/3, wrapping around the ring', () => {
    const ring: Polygon = [
      [0, 0],
      [10, 0],
      [20, 0],
      [20, 10],
      [10, 10],
      [0, 10],
      [0, 5],
    ];
    // Offset (3, 6): vertex 0 by (3, 6); vertices 1 and 6 by (2, 4); vertices 2 and 5 by (1, 2); 3 and 4 stay.
    expect(moveVertex(ring, 0, [3, 6], 2)).toEqual([
      [3, 6],
      [12, 4],
      [21, 2],
      [20, 10],
      [10, 10],
      [1, 12],
      [2, 9],
    ]);
  });

  it('rounds displacements to whole pixels, halves away from zero', () => {
    // One neighbour gets half of (1, -1): (0.5, -0.5) rounds to (1, -1).
    expect(moveVertex(square(), 0, [1, -1], 1)).toEqual([
      [1, -1],
      [5, -1],
      [4, 4],
      [1, 3],
    ]);
  });

  it('moves each vertex once when the neighbours reach round the whole ring', () => {
    // Three vertices, 5 neighbours: both others are 1 step away and get 5/6 of 6.
    expect(
      moveVertex(
        [
          [0, 0],
          [4, 0],
          [0, 4],
        ],
        0,
        [6, 0],
        5,
      ),
    ).toEqual([
      [6, 0],
      [9, 0],
      [5, 4],
    ]);
  });

  it('leaves the given polygon as it was', () => {
    const polygon = square();
    moveVertex(polygon, 1, [5, 5], 1);
    expect(polygon).toEqual(square());
  });
});

describe('nearestVertex', () => {
  it('finds the closest vertex, the first of equals, and -1 in an empty polygon', () => {
    expect(nearestVertex(square(), [5, 1])).toBe(1);
    expect(nearestVertex(square(), [2, -1])).toBe(0);
    expect(nearestVertex([], [0, 0])).toBe(-1);
  });
});

describe('moveVertexAcrossSlices', () => {
  it('scales the edit by 2/3 and 1/3 on the slices around, anchored at the nearest vertex there', () => {
    const rotated: Polygon = [
      [4, 4],
      [0, 4],
      [0, 0],
      [4, 0],
    ];
    const bySlice: Polygon[][] = [[square()], [rotated], [square()], [], [square()], [square()]];
    // Vertex (4, 0) of slice 2 moves by (6, 3); two slices each side; no in-plane neighbours.
    const moved = moveVertexAcrossSlices(bySlice, { sliceIndex: 2, polygonIndex: 0, vertexIndex: 1 }, [6, 3], 0, 2);
    expect(moved).toEqual([
      [
        [
          [0, 0],
          [6, 1],
          [4, 4],
          [0, 4],
        ],
      ],
      [
        [
          [4, 4],
          [0, 4],
          [0, 0],
          [8, 2],
        ],
      ],
      [
        [
          [0, 0],
          [10, 3],
          [4, 4],
          [0, 4],
        ],
      ],
      [],
      [
        [
          [0, 0],
          [6, 1],
          [4, 4],
          [0, 4],
        ],
      ],
      [square()],
    ]);
    expect(bySlice[2]).toEqual([square()]);
  });

  it('combines both falloffs: a neighbour on the next slice moves by 1/2 × 1/2 of the offset', () => {
    const moved = moveVertexAcrossSlices(
      [[square()], [square()]],
      { sliceIndex: 0, polygonIndex: 0, vertexIndex: 0 },
      [4, 8],
      1,
      1,
    );
    // Slice 0: vertex 0 by (4, 8), vertices 1 and 3 by (2, 4). Slice 1: vertex 0 by (2, 4), vertices 1 and 3 by (1, 2).
    expect(moved).toEqual([
      [
        [
          [4, 8],
          [6, 4],
          [4, 4],
          [2, 8],
        ],
      ],
      [
        [
          [2, 4],
          [5, 2],
          [4, 4],
          [1, 6],
        ],
      ],
    ]);
  });

  it('edits only the polygon with the same index on the other slices', () => {
    const far: Polygon = [
      [20, 20],
      [24, 20],
      [24, 24],
    ];
    const moved = moveVertexAcrossSlices(
      [[far], [square(), far]],
      { sliceIndex: 1, polygonIndex: 1, vertexIndex: 0 },
      [3, 0],
      0,
      1,
    );
    expect(moved[0]).toEqual([far]);
    expect(moved[1]).toEqual([
      square(),
      [
        [23, 20],
        [24, 20],
        [24, 24],
      ],
    ]);
  });

  it('throws a RangeError for a vertex that is not there', () => {
    expect(() =>
      moveVertexAcrossSlices([[square()]], { sliceIndex: 0, polygonIndex: 0, vertexIndex: 4 }, [1, 1], 0, 0),
    ).toThrow(RangeError);
  });
});
