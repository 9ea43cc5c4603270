import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One registered model, as `PUT`, `GET /admin/model` and `DELETE` answer it. */
export class ModelSummaryDto {
  /** Registry name (`PUT /admin/model/{name}`). */
  @ApiProperty({ example: 'segmentation_ct_spleen' })
  name!: string;

  /** `segmentation`, `annotation`, `classification`, `deepgrow`, `pipeline` or `others`. */
  @ApiProperty({ example: 'segmentation' })
  type!: string;

  /** The config's `version`, as a string. */
  @ApiProperty({ example: '1' })
  version!: string;

  @ApiProperty({ type: [String], example: ['spleen'] })
  labels!: string[];

  @ApiProperty()
  description!: string;

  /** `AIAA` (in-process), `TRITON`, or `native` (uploaded with `?native=true`). */
  @ApiProperty({ example: 'AIAA' })
  engine!: string;

  /** The model file inside `models/<name>/`; absent for pipeline and plugin models. */
  @ApiPropertyOptional({ example: 'model.onnx' })
  modelFile?: string;

  /** Bytes of every file of the model. */
  @ApiProperty()
  sizeBytes!: number;

  /** SHA-256 of the model file (of the config when there is none), hex. */
  @ApiProperty()
  sha256!: string;

  /** ISO 8601. */
  @ApiProperty()
  createdAt!: string;

  /** ISO 8601; changes when a new version replaces the model. */
  @ApiProperty()
  updatedAt!: string;

  /** Whether the model is loaded and serving. */
  @ApiProperty()
  loaded!: boolean;
}
