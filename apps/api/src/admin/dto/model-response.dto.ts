import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ENGINE_NAMES, MODEL_TYPES } from '@aiaa/inference';
import { namedSchema } from '../../docs/named-schema';

/**
 * One registered model, as `PUT`, `GET /admin/model`, `PUT …/active` and `DELETE` answer it: the fields of its active
 * version. Descriptions sit in the decorators: the Swagger CLI plugin that would read comments does not run under
 * the SWC loader.
 */
@ApiSchema({
  name: 'ModelRecord',
  description: "A model's row in the registry: what was installed, when, and its files.",
})
export class ModelSummaryDto {
  @ApiProperty({ example: 'segmentation_ct_spleen', description: 'Registry name (`PUT /admin/model/{name}`).' })
  name!: string;

  @ApiProperty({ enum: MODEL_TYPES, example: 'segmentation', description: "The config's `type`." })
  type!: string;

  @ApiProperty({ example: '1', description: "The active version's config `version` field, as a string (AIAA's)." })
  version!: string;

  @ApiProperty({ example: 3, description: 'The registry version that serves (`models/<name>/<activeVersion>/`).' })
  activeVersion!: number;

  @ApiProperty({ type: [Number], example: [1, 2, 3], description: 'Every kept version, ascending.' })
  versions!: number[];

  @ApiProperty({
    type: [String],
    example: ['spleen'],
    description: "The config's `labels`; when it gives none, the `.onnx` file's `labels` metadata (of a loaded model).",
  })
  labels!: string[];

  @ApiProperty({ description: "The config's `description`." })
  description!: string;

  @ApiProperty({
    enum: [...ENGINE_NAMES, 'native'],
    example: 'AIAA',
    description: '`AIAA` (in-process onnxruntime), `TRITON`, or `native` (uploaded with `?native=true`).',
  })
  engine!: string;

  @ApiPropertyOptional({
    example: 'model.onnx',
    description: 'The model file inside `models/<name>/<activeVersion>/`; absent for pipeline and plugin models.',
  })
  modelFile?: string;

  @ApiProperty({ example: 1048576, description: 'Bytes of every file of the active version.' })
  sizeBytes!: number;

  @ApiProperty({ description: 'SHA-256 of the model file (of the config when there is none), hex.' })
  sha256!: string;

  @ApiProperty({ example: '2026-01-01T12:00:00.000Z', description: 'When the model was first registered, ISO 8601.' })
  createdAt!: string;

  @ApiProperty({
    example: '2026-01-02T08:30:00.000Z',
    description: 'When a version was last added or activated, ISO 8601.',
  })
  updatedAt!: string;

  @ApiProperty({ description: 'Whether the model is loaded and serving.' })
  loaded!: boolean;
}

/** `GET /admin/model`: the registry's rows. */
export const MODEL_RECORD_LIST = namedSchema('ModelRecordList', {
  type: 'array',
  items: { $ref: getSchemaPath(ModelSummaryDto) },
  description: 'Every registered model, by name.',
});

/** `GET /admin/model/{name}`: the stored config. */
export const MODEL_CONFIG = namedSchema('ModelConfig', {
  type: 'object',
  additionalProperties: true,
  properties: {
    version: { type: 'string', description: 'The model version.' },
    type: { type: 'string', enum: [...MODEL_TYPES], description: 'The model type.' },
    labels: { type: 'array', items: { type: 'string' }, description: 'The labels it segments.' },
    description: { type: 'string', description: 'What the model does.' },
    pre_transforms: { type: 'array', items: { type: 'object' }, description: 'Steps before inference.' },
    inference: { type: 'object', description: 'How it runs (engine sections, sliding window, tensors).' },
    post_transforms: { type: 'array', items: { type: 'object' }, description: 'Steps after inference.' },
    writer: { type: 'object', description: 'What the reply carries: the result file and its JSON.' },
  },
  description: "The model's `config_aiaa.json`, as uploaded.",
});
