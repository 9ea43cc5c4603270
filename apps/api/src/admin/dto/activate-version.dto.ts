import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

/** Body of `PUT /admin/model/{name}/active`. */
export class ActivateVersionDto {
  @ApiProperty({ example: 2, description: 'A kept version of the model (see `GET /admin/model/{name}/versions`).' })
  @IsInt({ message: 'version: expected a whole version number' })
  @Min(1, { message: 'version: expected 1 or more' })
  version!: number;
}
