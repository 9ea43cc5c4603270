import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';

const ID_RULE = "letters, digits, '.', '_', '-', starting with a letter or digit; at most 128 characters";
const TAG_RULE = "`final` (default) or `original`, or any name of letters, digits, '.', '_', '-'";

/** What `GET /datastore/?output=` may ask for. */
export const DATASTORE_OUTPUTS = ['stats', 'all', 'train'] as const;

/** Query of `GET /datastore/`. */
export class DatastoreListQueryDto {
  @ApiPropertyOptional({
    enum: DATASTORE_OUTPUTS,
    description: '`stats` (default): counts; `all`: every image with its labels; `train`: `[{image, label}]` paths',
  })
  @IsOptional()
  @IsIn(DATASTORE_OUTPUTS)
  output?: (typeof DATASTORE_OUTPUTS)[number];
}

/** Query of `PUT /datastore/` and `PUT /datastore/image`. */
export class PutImageQueryDto {
  @ApiPropertyOptional({ description: `The id to store the image under (${ID_RULE}); default: the file's base name` })
  @IsOptional()
  @IsString()
  image?: string;
}

/** Query of `GET|HEAD /datastore/image`. */
export class ImageQueryDto {
  @ApiProperty({ description: `The image id (${ID_RULE})` })
  @IsString()
  image!: string;

  @ApiPropertyOptional({ description: 'HEAD only: `SHA256:<hex>`; 404 when the stored image differs' })
  @IsOptional()
  @IsString()
  check_sum?: string;
}

/** Query of `DELETE /datastore/image` (and `DELETE /datastore/`). */
export class DeleteImageQueryDto {
  @ApiProperty({ description: 'The image id to remove, with its labels' })
  @IsString()
  id!: string;
}

/** Query of `PUT /datastore/label`. */
export class SaveLabelQueryDto {
  @ApiProperty({ description: `The image the label belongs to (${ID_RULE})` })
  @IsString()
  image!: string;

  @ApiPropertyOptional({ description: `The tag to save it under: ${TAG_RULE}` })
  @IsOptional()
  @IsString()
  tag?: string;
}

/** Query of `GET /datastore/label`. */
export class LabelQueryDto {
  @ApiProperty({ description: 'The label id: the id of its image' })
  @IsString()
  label!: string;

  @ApiPropertyOptional({ description: `The tag: ${TAG_RULE}` })
  @IsOptional()
  @IsString()
  tag?: string;
}

/** Query of `HEAD /datastore/label`. */
export class HeadLabelQueryDto {
  @ApiProperty({ description: 'The image id' })
  @IsString()
  image!: string;

  @ApiPropertyOptional({ description: `The tag: ${TAG_RULE}` })
  @IsOptional()
  @IsString()
  tag?: string;
}

/** Query of `DELETE /datastore/label`. */
export class DeleteLabelQueryDto {
  @ApiProperty({ description: 'The image id whose label is removed' })
  @IsString()
  id!: string;

  @ApiPropertyOptional({ description: 'The tag to remove; every label of the image when absent' })
  @IsOptional()
  @IsString()
  tag?: string;
}
