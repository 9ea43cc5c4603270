import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { MODEL_TYPES } from '@aiaa/inference';

/** Query of `GET /v1/models`: one model by name, or a filter by label and type. */
export class ModelsQueryDto {
  @ApiPropertyOptional({
    example: 'spleen_ct_threshold',
    description: 'One model by name: the reply is that model as an object (404 when it is not loaded).',
  })
  @IsOptional()
  @IsString()
  model?: string;

  @ApiPropertyOptional({
    example: 'spleen',
    description: 'Models with this label: case-insensitive exact matches, or else those whose labels contain it.',
  })
  @IsOptional()
  @IsString()
  label?: string;

  @ApiPropertyOptional({
    example: 'segmentation',
    description: `Models of this type: ${MODEL_TYPES.map((type) => `\`${type}\``).join(', ')}.`,
  })
  @IsOptional()
  @IsString()
  type?: string;
}
