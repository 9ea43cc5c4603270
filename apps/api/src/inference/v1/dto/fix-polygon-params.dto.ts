import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { InvalidInputError, type Polygon, type VertexOffset } from '@aiaa/core';
import { imageParts } from '../../../upload/image-parts';
import { PIXEL_POINT } from './mask-to-polygon-parts.dto';

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

const POLYGON = { type: 'array', items: PIXEL_POINT, description: 'A closed ring of `[x, y]` pixel indices.' } as const;

/** `poly`: a list of polygons (dimension 2), or one such list per slice (dimension 3). */
const POLYGONS = {
  oneOf: [
    { type: 'array', items: POLYGON, description: 'dimension 2: the polygons of the image.' },
    {
      type: 'array',
      items: { type: 'array', items: POLYGON, description: 'The polygons of one slice.' },
      description: 'dimension 3: one list of polygons per slice (k).',
    },
  ],
};

/**
 * The JSON in the `params` part of `POST /v1/fixpolygon`, as the official Python client sends it. The part is text
 * inside multipart, so {@link readFixPolygonParams} below checks these fields; the OpenAPI document shows them from
 * here. Descriptions sit in the decorators: the Swagger CLI plugin that would read comments does not run under the
 * SWC loader.
 */
@ApiSchema({ name: 'FixPolygonParams', description: 'The vertex to move, how far, and the polygons it belongs to.' })
export class FixPolygonParamsDto {
  @ApiProperty({
    ...POLYGONS,
    description:
      'dimension 2: a list of polygons, each a closed ring of `[x, y]` pixel indices (x along the PNG width). ' +
      'dimension 3: a list per slice (k) of such lists, vertex `[x, y]` at voxel (i = y, j = x, k), as ' +
      '`/v1/mask2polygon` answers them and the official client sends them.',
    example: [
      [
        [1, 1],
        [3, 1],
        [3, 3],
        [1, 3],
      ],
    ],
  })
  poly!: unknown[];

  @ApiProperty({
    type: [Number],
    example: [8, 5],
    description: 'The move `[dx, dy]` in pixels (a third, slice component is accepted only as 0).',
  })
  vertex_offset!: number[];

  @ApiPropertyOptional({ enum: [2, 3], description: '2 or 3; absent: 3 when `slice_index` is given, else 2.' })
  dimension?: number;

  @ApiPropertyOptional({ example: 104, description: 'dimension 3: the slice (k) of the moved vertex.' })
  slice_index?: number;

  @ApiProperty({ example: 0, description: 'The polygon of the moved vertex (in its slice for dimension 3).' })
  polygon_index!: number;

  @ApiProperty({ example: 2, description: 'The moved vertex in its polygon.' })
  vertex_index!: number;

  @ApiPropertyOptional({ example: 1, description: 'Vertices dragged along on each side of the moved one; default 0.' })
  propagate_neighbor?: number;

  @ApiPropertyOptional({ example: 3, description: 'dimension 3: slices edited above and below; default 0.' })
  propagate_neighbor_3d?: number;
}

/** The JSON in the `params` part of the reply. */
@ApiSchema({ name: 'FixPolygonResult', description: 'The polygons after the edit.' })
export class FixPolygonResultDto {
  @ApiProperty({
    ...POLYGONS,
    description: 'The updated polygons, in the shape they were sent (per slice for dimension 3).',
  })
  poly!: unknown[];
}

/** The rules of `POST /v1/fixpolygon`, for the OpenAPI document (AIAA's own rules are not public; these are ours). */
export const FIX_POLYGON_DESCRIPTION = [
  'Vertex `vertex_index` of polygon `polygon_index` moves by `vertex_offset`; the vertex at cyclic distance ' +
    'd = 1..n (n = `propagate_neighbor`, both sides of the closed ring) moves by `offset × (1 − d/(n+1))`, so with ' +
    'n = 2 the neighbours move 2/3 and 1/3 of the way. Each displacement is rounded to whole pixels (halves away ' +
    'from zero).',
  'dimension 3: on the slices k ± s, s = 1..m (m = `propagate_neighbor_3d`), the polygon with the same index gets ' +
    'the same edit scaled by `1 − s/(m+1)`, centred on its vertex nearest to where the moved vertex was.',
  'The mask: a pixel is inside when its centre `(x, y)` lies inside a polygon (even-odd) or on its outline; polygons ' +
    'add up. So the outlines `/v1/mask2polygon` answers paint back the mask they came from (holes aside).',
  'The file part is the reference image: a PNG (its IHDR size) or single-slice NIfTI for dimension 2, answered as an ' +
    '8-bit grey PNG with 1 inside and 0 outside; a NIfTI for dimension 3 (only its header is read), answered as a ' +
    'uint8 NIfTI on its grid and affine.',
  'On a NIfTI, x runs along the second voxel axis (j) and y along the first (i): vertex `[x, y]` of slice k is voxel ' +
    "(i = y, j = x, k), as in the official client's own test polygons and `/v1/mask2polygon` replies.",
  'Bad params are a 400 naming `params.<field>`, as are more than 1 M vertices or 4 M crossings of an edge with an ' +
    'image row (a traced outline crosses each row about twice).',
].join('\n\n');

/** The multipart request body: `params` and the reference image. */
export const FIX_POLYGON_PARTS = imageParts({
  params: {
    schema: { $ref: getSchemaPath(FixPolygonParamsDto) },
    description: 'The edit, JSON text.',
    required: true,
  },
  files: { datapoint: 'The reference image: PNG (2-D) or NIfTI; the C++ client names the part `image`.' },
});

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
