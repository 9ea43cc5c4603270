import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * One registered model, as `PUT`, `GET /admin/model`, `PUT …/active` and `DELETE` answer it: the fields of its active
 * version. Descriptions sit in the decorators: the Swagger CLI plugin that would read comments does not run under
 * the SWC loader.
 */
export class ModelSummaryDto {
  @ApiProperty({ example: 'segmentation_ct_spleen', description: 'Registry name (`PUT /admin/model/{name}`).' })
  name!: string;

  @ApiProperty({
    example: 'segmentation',
    description: '`segmentation`, `annotation`, `classification`, `deepgrow`, `pipeline` or `others`.',
  })
  type!: string;

  @ApiProperty({ example: '1', description: "The active version's config `version` field, as a string (AIAA's)." })
  version!: string;

  @ApiProperty({ example: 3, description: 'The registry version that serves (`models/<name>/<activeVersion>/`).' })
  activeVersion!: number;

  @ApiProperty({ type: [Number], example: [1, 2, 3], description: 'Every kept version, ascending.' })
  versions!: number[];

  @ApiProperty({ type: [String], example: ['spleen'], description: "The config's `labels`." })
  labels!: string[];

  @ApiProperty({ description: "The config's `description`." })
  description!: string;

  @ApiProperty({
    example: 'AIAA',
    description: '`AIAA` (in-process), `TRITON`, or `native` (uploaded with `?native=true`).',
  })
  engine!: string;

  @ApiPropertyOptional({
    example: 'model.onnx',
    description: 'The model file inside `models/<name>/<activeVersion>/`; absent for pipeline and plugin models.',
  })
  modelFile?: string;

  @ApiProperty({ description: 'Bytes of every file of the active version.' })
  sizeBytes!: number;

  @ApiProperty({ description: 'SHA-256 of the model file (of the config when there is none), hex.' })
  sha256!: string;

  @ApiProperty({ description: 'When the model was first registered, ISO 8601.' })
  createdAt!: string;

  @ApiProperty({ description: 'When a version was last added or activated, ISO 8601.' })
  updatedAt!: string;

  @ApiProperty({ description: 'Whether the model is loaded and serving.' })
  loaded!: boolean;
}
