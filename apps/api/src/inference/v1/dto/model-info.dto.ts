import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { MODEL_TYPES } from '@aiaa/inference';
import { namedSchema } from '../../../docs/named-schema';

/** A Triton model's state, on models served by Triton. */
@ApiSchema({ name: 'TritonModelState', description: "A model's state as Triton's repository index reports it." })
export class TritonModelStateDto {
  @ApiProperty({
    example: 'READY',
    description:
      "Triton's state (`READY`, `UNAVAILABLE`, …), `UNREACHABLE` when Triton cannot be asked, " +
      '`NOT_IN_REPOSITORY` when Triton does not list the model.',
  })
  state!: string;

  @ApiPropertyOptional({ description: 'Why it is not ready: a failed load, or why Triton could not be asked.' })
  reason?: string;
}

/**
 * One `GET /v1/models` entry, as the AIAA clients read it (the C++ client's `Model::fromJson`, Slicer, OHIF).
 * Descriptions sit in the decorators: the Swagger CLI plugin that would read comments does not run under SWC.
 */
@ApiSchema({
  name: 'ModelInfo',
  description:
    "A loaded model as the AIAA clients read it. Keys of the config's `inference.meta_data` are copied in " +
    '(e.g. `deepgrow: "3D"`), so other keys may appear.',
})
export class ModelInfoDto {
  @ApiProperty({ example: 'spleen_ct_threshold', description: 'The model name, as `?model=` takes it.' })
  name!: string;

  @ApiProperty({ type: [String], example: ['spleen'], description: 'The labels the model segments.' })
  labels!: string[];

  @ApiProperty({ description: "The config's `description`." })
  description!: string;

  @ApiProperty({ example: '1', description: "The config's `version`, always a string (the C++ client needs one)." })
  version!: string;

  @ApiProperty({ enum: MODEL_TYPES, example: 'segmentation', description: 'Which routes serve it.' })
  type!: string;

  @ApiPropertyOptional({
    name: 'internal name',
    description:
      'The name the engine knows the model by, which the AIAA clients accept (with its space); not sent by this ' +
      'server, whose engines use `name`.',
  })
  internalName?: string;

  @ApiPropertyOptional({ example: 20, description: 'annotation models: voxels of margin around the extreme points.' })
  padding?: number;

  @ApiPropertyOptional({
    type: [Number],
    example: [128, 128, 128],
    description: 'annotation models: the size the cropped region is resized to, in voxels.',
  })
  roi?: number[];

  @ApiPropertyOptional({ example: 3, description: 'annotation models: the Gaussian sigma of the point channel.' })
  sigma?: number;

  @ApiPropertyOptional({
    example: '3D',
    description: "deepgrow models: `2D` or `3D` (from `inference.meta_data`; Slicer picks 3D when it holds '3d').",
  })
  deepgrow?: string;

  @ApiPropertyOptional({
    allOf: [{ $ref: getSchemaPath(TritonModelStateDto) }],
    description: 'Models served by Triton: their state there.',
  })
  triton?: TritonModelStateDto;
}

/** `GET /v1/models` without `?model=`: every loaded model matching the filters. */
export const MODEL_LIST = namedSchema('ModelList', {
  type: 'array',
  items: { $ref: getSchemaPath(ModelInfoDto) },
  description: 'The loaded models, filtered by `label` and `type`.',
});
