import { getSchemaPath } from '@nestjs/swagger';
import { imageParts } from '../../upload/image-parts';
import { FixPolygonParamsDto, FixPolygonReplyParamsDto } from './dto/fix-polygon-params.dto';

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
  'Bad params are a 400 naming `params.<field>`, as are more than 1 M vertices or 4 M crossings of an edge with an ' +
    'image row (a traced outline crosses each row about twice).',
].join('\n\n');

/** The multipart request body: `params` and the reference image. */
export const FIX_POLYGON_PARTS = imageParts({
  params: `JSON text, see ${getSchemaPath(FixPolygonParamsDto)}`,
  files: { datapoint: 'The reference image: PNG (2-D) or NIfTI; the C++ client names the part `image`' },
});

export const FIX_POLYGON_REPLY = {
  status: 200,
  description: `multipart/form-data: \`params\` (JSON, see ${getSchemaPath(FixPolygonReplyParamsDto)}) + \`image\` (\`result.png\` or \`result.nii.gz\`)`,
} as const;
