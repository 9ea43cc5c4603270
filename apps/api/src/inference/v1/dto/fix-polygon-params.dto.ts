import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The JSON in the `params` part of `POST /v1/fixpolygon`, as the official Python client sends it. Documentation only:
 * the part is text inside multipart, checked by `readFixPolygonParams`. Descriptions sit in the decorators: the
 * Swagger CLI plugin that would read comments does not run under the SWC loader.
 */
export class FixPolygonParamsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: {} },
    description:
      'dimension 2: a list of polygons, each a closed ring of `[x, y]` pixel indices (x along the image width, as ' +
      '`/v1/mask2polygon` answers them). dimension 3: a list per slice (k) of such lists.',
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

  @ApiProperty({ example: 14, description: 'The moved vertex in its polygon.' })
  vertex_index!: number;

  @ApiPropertyOptional({ example: 1, description: 'Vertices dragged along on each side of the moved one; default 0.' })
  propagate_neighbor?: number;

  @ApiPropertyOptional({ example: 3, description: 'dimension 3: slices edited above and below; default 0.' })
  propagate_neighbor_3d?: number;
}

/** The JSON in the `params` part of the reply. */
export class FixPolygonReplyParamsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: {} },
    description: 'The updated polygons, in the shape they were sent (per slice for dimension 3).',
  })
  poly!: unknown[];
}
