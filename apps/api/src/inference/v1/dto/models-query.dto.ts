import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** Query of `GET /v1/models`: one model by name, or a filter by label and type. */
export class ModelsQueryDto {
  @ApiPropertyOptional({ description: 'One model by name (answers an object, 404 if unknown)' })
  @IsOptional()
  @IsString()
  model?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive label: exact matches, else substrings' })
  @IsOptional()
  @IsString()
  label?: string;

  @ApiPropertyOptional({ description: 'segmentation | annotation | classification | deepgrow | ...' })
  @IsOptional()
  @IsString()
  type?: string;
}
