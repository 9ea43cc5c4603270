import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** Reply of `POST /activelearning/{strategy}` when an image is left (else `{}`). */
@ApiSchema({ name: 'NextSample', description: 'The image to annotate next.' })
export class NextSampleDto {
  @ApiProperty({ description: 'The image id' })
  id!: string;

  @ApiProperty({ description: 'File name with its suffix (`<id>.nii.gz`): clients save the download under it' })
  name!: string;

  @ApiPropertyOptional({
    example: 'SHA256:9f86d081…',
    description: 'The content hash of a stored image (none for a series of the PACS).',
  })
  checksum?: string;

  @ApiPropertyOptional({ description: 'Unix seconds when the image was stored (not for a PACS series)' })
  ts?: number;

  @ApiProperty({ description: 'The strategy that picked it' })
  strategy!: string;

  @ApiPropertyOptional({ description: 'Where the image lies on the server (Slicer on the same host opens it there)' })
  path?: string;

  @ApiPropertyOptional({ description: 'A series of the DICOMweb server: its UID (the id), as OHIF reads it' })
  SeriesInstanceUID?: string;

  @ApiPropertyOptional({ description: 'A series: its study, which OHIF opens' })
  StudyInstanceUID?: string;

  @ApiPropertyOptional({ description: 'A series: its patient' })
  PatientID?: string;

  @ApiPropertyOptional({ description: 'A series: its modality (CT, MR, …)' })
  Modality?: string;

  @ApiPropertyOptional({ description: 'A series: its study date, YYYYMMDD' })
  StudyDate?: string;

  @ApiPropertyOptional({ description: 'A series: its study time, HHMMSS' })
  StudyTime?: string;
}
