import { InvalidInputError, type Polygon, type VertexOffset } from '@aiaa/core';

/** Most neighbours (`propagate_neighbor`, `propagate_neighbor_3d`) accepted: more is the whole ring or volume anyway. */
export const MAX_NEIGHBOURS = 10_000;
/** Most vertices accepted in `poly`, which bounds the work of one request. */
export const MAX_VERTICES = 1_000_000;

/** The edit a `/v1/fixpolygon` request asks for (AIAA-API §6), checked. */
export type FixPolygonParams =
  | {
      readonly dimension: 2;
      readonly polygons: Polygon[];
      readonly polygonIndex: number;
      readonly vertexIndex: number;
      readonly offset: VertexOffset;
      readonly neighbours: number;
    }
  | {
      readonly dimension: 3;
      readonly polygonsBySlice: Polygon[][];
      readonly sliceIndex: number;
      readonly polygonIndex: number;
      readonly vertexIndex: number;
      readonly offset: VertexOffset;
      readonly neighbours: number;
      readonly slices: number;
    };

/** A whole number, also as a numeric string (clients up to 3.0 send some params as strings). */
function wholeNumber(params: Record<string, unknown>, field: string, min: number, max: number, fallback?: number) {
  const value = params[field];
  if ((value === undefined || value === null) && fallback !== undefined) {
    return fallback;
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new InvalidInputError(
      `params.${field}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return n;
}

/** `[x, y]` of finite numbers. */
function readPoint(value: unknown, where: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && isFinite(v))) {
    throw new InvalidInputError(`${where}: expected a point [x, y] of two numbers, got ${JSON.stringify(value)}`);
  }
  return [value[0] as number, value[1] as number];
}

/** Counts vertices across the whole `poly` so that a huge request fails before it is worked on. */
class VertexBudget {
  #left = MAX_VERTICES;
  take(count: number): void {
    this.#left -= count;
    if (this.#left < 0) {
      throw new InvalidInputError(`params.poly: more than ${MAX_VERTICES} vertices`);
    }
  }
}

function readPolygons(value: unknown, where: string, budget: VertexBudget): Polygon[] {
  if (!Array.isArray(value)) {
    throw new InvalidInputError(`${where}: expected a list of polygons, got ${JSON.stringify(value) ?? 'nothing'}`);
  }
  return value.map((polygon: unknown, p) => {
    if (!Array.isArray(polygon)) {
      throw new InvalidInputError(`${where}[${p}]: expected a polygon (a list of [x, y])`);
    }
    budget.take(polygon.length);
    return polygon.map((point: unknown, v) => readPoint(point, `${where}[${p}][${v}]`));
  });
}

/** `vertex_offset`: `[dx, dy]`; a third (slice) component is accepted only as 0, since vertices stay on their slice. */
function readOffset(value: unknown): VertexOffset {
  if (Array.isArray(value) && value.length === 3 && value[2] === 0) {
    return readPoint(value.slice(0, 2), 'params.vertex_offset');
  }
  return readPoint(value, 'params.vertex_offset');
}

/** An index into a list, named in the error with the list's length. */
function index(params: Record<string, unknown>, field: string, length: number, what: string): number {
  if (length === 0) {
    throw new InvalidInputError(`params.${field}: ${what} is empty`);
  }
  return wholeNumber(params, field, 0, length - 1);
}

/**
 * Reads and checks the `params` of `/v1/fixpolygon`. `dimension` is 2 or 3 (absent: 3 when `slice_index` is given);
 * indices must point at an existing vertex; `propagate_neighbor` and `propagate_neighbor_3d` default to 0.
 *
 * @throws InvalidInputError naming `params.<field>` (with the path inside `poly`).
 */
export function readFixPolygonParams(params: Record<string, unknown>): FixPolygonParams {
  const dimension = wholeNumber(params, 'dimension', 2, 3, params['slice_index'] === undefined ? 2 : 3);
  const budget = new VertexBudget();
  if (params['poly'] === undefined) {
    throw new InvalidInputError('params.poly is required: the polygons to edit');
  }
  const offset = readOffset(params['vertex_offset']);
  const neighbours = wholeNumber(params, 'propagate_neighbor', 0, MAX_NEIGHBOURS, 0);
  if (dimension === 2) {
    const polygons = readPolygons(params['poly'], 'params.poly', budget);
    const polygonIndex = index(params, 'polygon_index', polygons.length, 'params.poly');
    const polygon = polygons[polygonIndex] as Polygon;
    const vertexIndex = index(params, 'vertex_index', polygon.length, `params.poly[${polygonIndex}]`);
    return { dimension: 2, polygons, polygonIndex, vertexIndex, offset, neighbours };
  }
  const slicesValue = params['poly'];
  if (!Array.isArray(slicesValue)) {
    throw new InvalidInputError(`params.poly: expected a list per slice of polygons (dimension 3)`);
  }
  const polygonsBySlice = slicesValue.map((slice: unknown, k) => readPolygons(slice, `params.poly[${k}]`, budget));
  const sliceIndex = index(params, 'slice_index', polygonsBySlice.length, 'params.poly');
  const polygons = polygonsBySlice[sliceIndex] as Polygon[];
  const polygonIndex = index(params, 'polygon_index', polygons.length, `params.poly[${sliceIndex}]`);
  const polygon = polygons[polygonIndex] as Polygon;
  const vertexIndex = index(params, 'vertex_index', polygon.length, `params.poly[${sliceIndex}][${polygonIndex}]`);
  const slices = wholeNumber(params, 'propagate_neighbor_3d', 0, MAX_NEIGHBOURS, 0);
  return { dimension: 3, polygonsBySlice, sliceIndex, polygonIndex, vertexIndex, offset, neighbours, slices };
}
