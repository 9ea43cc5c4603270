import { InvalidInputError } from '@aiaa/core';
import { namedSchema } from '../../../docs/named-schema';
import { imageParts } from '../../../upload/image-parts';

/** Most `more_points` accepted: 8 already keeps every pixel of an outline. */
const MAX_MORE_POINTS = 1000;

/** `[x, y]`: a pixel of a PNG (x along its width), or voxel (i = y, j = x) of a NIfTI slice. */
export const PIXEL_POINT = namedSchema('PixelPoint', {
  type: 'array',
  items: { type: 'number' },
  minItems: 2,
  maxItems: 2,
  example: [12, 40],
  description:
    '`[x, y]`: a pixel of a PNG (x along its width), or voxel (i = y, j = x) of a NIfTI slice, as the official ' +
    'client reads them.',
});

/** The reply of `POST /v1/mask2polygon`: per slice, its polygons. */
export const POLYGONS_BY_SLICE = namedSchema('PolygonsBySlice', {
  type: 'array',
  items: {
    type: 'array',
    items: { type: 'array', items: PIXEL_POINT, description: 'One closed outline, as a ring of `[x, y]`.' },
    description: 'The polygons of one slice (k), empty when the slice holds no label.',
  },
  description:
    'Outer outlines of the label mask (holes are not traced), one list per slice (k) of polygons, one per ' +
    '8-connected component, each a counter-clockwise ring (y down) of `[x, y]` = voxel (i = y, j = x, k).',
  example: [
    [],
    [
      [
        [1, 1],
        [3, 1],
        [3, 3],
        [1, 3],
      ],
    ],
  ],
});

const MASK_TO_POLYGON_PARAMS = namedSchema('Mask2PolygonParams', {
  type: 'object',
  properties: {
    more_points: {
      type: 'integer',
      minimum: 0,
      maximum: MAX_MORE_POINTS,
      default: 0,
      description:
        '0 keeps only the corners of each outline; N ≥ 1 also keeps a vertex every max(1, round(8 / N)) pixels ' +
        'along straight runs (N ≥ 8: every pixel).',
    },
  },
  description: 'How finely to outline.',
});

/** The multipart request body of `POST /v1/mask2polygon`: `params` (`more_points`, read below) and the mask. */
export const MASK_TO_POLYGON_PARTS = imageParts({
  params: { schema: MASK_TO_POLYGON_PARAMS, description: 'The request params, JSON text (absent: `{}`).' },
  files: { datapoint: 'The label mask (NIfTI); the C++ client names the part `image`.' },
});

/** `params.more_points`: absent → 0; otherwise a whole number in 0..1000. @throws InvalidInputError naming it. */
export function readMorePoints(value: unknown): number {
  if (value === undefined || value === null) {
    return 0;
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_MORE_POINTS) {
    throw new InvalidInputError(
      `params.more_points: expected a whole number from 0 to ${MAX_MORE_POINTS}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}
