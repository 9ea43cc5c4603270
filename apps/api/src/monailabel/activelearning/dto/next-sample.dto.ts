import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** Reply of `POST /activelearning/{strategy}` when an image is left (else `{}`). */
@ApiSchema({ name: 'NextSample', description: 'The image to annotate next.' })
export class NextSampleDto {
  @ApiProperty({ description: 'The image id' })
  id!: string;

  @ApiProperty({ description: 'File name with its suffix (`<id>.nii.gz`): clients save the download under it' })
  name!: string;

  @ApiProperty({ example: 'SHA256:9f86d081…', description: 'The content hash of the stored image.' })
  checksum!: string;

  @ApiProperty({ description: 'Unix seconds when the image was stored' })
  ts!: number;

  @ApiProperty({ description: 'The strategy that picked it' })
  strategy!: string;

  @ApiPropertyOptional({ description: 'Where the image lies on the server (Slicer on the same host opens it there)' })
  path?: string;
}
