import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * One registered model, as `PUT`, `GET /admin/model` and `DELETE` answer it. Descriptions sit in the decorators:
 * the Swagger CLI plugin that would read comments does not run under the SWC loader.
 */
export class ModelSummaryDto {
  @ApiProperty({ example: 'segmentation_ct_spleen', description: 'Registry name (`PUT /admin/model/{name}`).' })
  name!: string;

  @ApiProperty({
    example: 'segmentation',
    description: '`segmentation`, `annotation`, `classification`, `deepgrow`, `pipeline` or `others`.',
  })
  type!: string;

  @ApiProperty({ example: '1', description: "The config's `version`, as a string." })
  version!: string;

  @ApiProperty({
    type: [String],
    example: ['spleen'],
    description: "The config's `labels`; when it gives none, the `.onnx` file's `labels` metadata (of a loaded model).",
  })
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
    description: 'The model file inside `models/<name>/`; absent for pipeline and plugin models.',
  })
  modelFile?: string;

  @ApiProperty({ description: 'Bytes of every file of the model.' })
  sizeBytes!: number;

  @ApiProperty({ description: 'SHA-256 of the model file (of the config when there is none), hex.' })
  sha256!: string;

  @ApiProperty({ description: 'ISO 8601.' })
  createdAt!: string;

  @ApiProperty({ description: 'ISO 8601; changes when a new version replaces the model.' })
  updatedAt!: string;

  @ApiProperty({ description: 'Whether the model is loaded and serving.' })
  loaded!: boolean;
}
