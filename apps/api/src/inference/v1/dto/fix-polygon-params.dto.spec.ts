import { InvalidInputError } from '@aiaa/core';
import { readFixPolygonParams } from './fix-polygon-params.dto';

const square = [
  [1, 1],
  [3, 1],
  [3, 3],
  [1, 3],
];

/** The 2-D params the official Python client sends for `fixpolygon(..., index=[0, 2], ...)`. */
const params2d = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  poly: [square],
  vertex_offset: [1, 2],
  dimension: 2,
  polygon_index: 0,
  vertex_index: 2,
  propagate_neighbor: 1,
  ...changes,
});

/** The 3-D params it sends for `index=[1, 0, 2]`, `propagate_neighbor=[1, 1]`. */
const params3d = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  poly: [[], [square]],
  vertex_offset: [1, 2],
  dimension: 3,
  slice_index: 1,
  polygon_index: 0,
  vertex_index: 2,
  propagate_neighbor_3d: 1,
  propagate_neighbor: 1,
  ...changes,
});

function failure(params: Record<string, unknown>): string {
  try {
    readFixPolygonParams(params);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidInputError');
}

describe('readFixPolygonParams', () => {
  it('reads the 2-D params of the Python client', () => {
    expect(readFixPolygonParams(params2d())).toEqual({
      dimension: 2,
      polygons: [square],
      polygonIndex: 0,
      vertexIndex: 2,
      offset: [1, 2],
      neighbours: 1,
    });
  });

  it('reads the 3-D params of the Python client', () => {
    expect(readFixPolygonParams(params3d())).toEqual({
      dimension: 3,
      polygonsBySlice: [[], [square]],
      sliceIndex: 1,
      polygonIndex: 0,
      vertexIndex: 2,
      offset: [1, 2],
      neighbours: 1,
      slices: 1,
    });
  });

  it('defaults the neighbours to 0, infers the dimension from slice_index and takes numeric strings', () => {
    const read = readFixPolygonParams(
      params3d({
        dimension: undefined,
        propagate_neighbor: undefined,
        propagate_neighbor_3d: undefined,
        vertex_index: '3',
      }),
    );
    expect(read).toMatchObject({ dimension: 3, neighbours: 0, slices: 0, vertexIndex: 3 });
    expect(readFixPolygonParams(params2d({ dimension: undefined }))).toMatchObject({ dimension: 2 });
  });

  it('accepts a 3-component offset whose slice part is 0', () => {
    expect(readFixPolygonParams(params3d({ vertex_offset: [4, 5, 0] }))).toMatchObject({ offset: [4, 5] });
  });

  describe('bad params name the field', () => {
    it('a missing poly', () => {
      expect(failure(params2d({ poly: undefined }))).toMatch(/^params\.poly is required/);
    });

    it('a poly that is not a list of polygons of [x, y]', () => {
      expect(failure(params2d({ poly: 'square' }))).toContain('params.poly');
      expect(
        failure(
          params2d({
            poly: [
              [
                [1, 1],
                [2, 'y'],
              ],
            ],
          }),
        ),
      ).toContain('params.poly[0][1]');
      expect(failure(params3d({ poly: [[], [[[1, 1, 1]]]] }))).toContain('params.poly[1][0][0]');
    });

    it('a polygon_index, vertex_index or slice_index out of range', () => {
      expect(failure(params2d({ polygon_index: 1 }))).toContain('params.polygon_index');
      expect(failure(params2d({ vertex_index: 4 }))).toContain('params.vertex_index');
      expect(failure(params2d({ vertex_index: -1 }))).toContain('params.vertex_index');
      expect(failure(params3d({ slice_index: 2 }))).toContain('params.slice_index');
      expect(failure(params3d({ slice_index: 0 }))).toContain('params.polygon_index');
    });

    it('a vertex_offset that is not two numbers', () => {
      for (const offset of [undefined, ['a', 1], [1], [1, 2, 3], 5, [1, Number.NaN]]) {
        expect(failure(params2d({ vertex_offset: offset }))).toContain('params.vertex_offset');
      }
    });

    it('a dimension other than 2 or 3, or neighbours that are not whole numbers', () => {
      expect(failure(params2d({ dimension: 4 }))).toContain('params.dimension');
      expect(failure(params2d({ propagate_neighbor: 1.5 }))).toContain('params.propagate_neighbor');
      expect(failure(params3d({ propagate_neighbor_3d: -1 }))).toContain('params.propagate_neighbor_3d');
    });
  });
});
