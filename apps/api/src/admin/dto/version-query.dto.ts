import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

/** `?version=N` of `GET` and `DELETE /admin/model/{name}`: one version instead of the model. */
export class VersionQueryDto {
  @ApiPropertyOptional({ type: Number, example: 1, description: 'A kept version of the model.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'version: expected a whole version number' })
  @Min(1, { message: 'version: expected 1 or more' })
  version?: number;
}
