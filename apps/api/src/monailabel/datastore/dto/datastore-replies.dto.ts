import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Reply of `PUT /datastore/`. */
export class PutImageReplyDto {
  @ApiProperty({ description: 'The id the image was stored under' })
  image!: string;
}

/** Reply of `PUT /datastore/label`. */
export class SaveLabelReplyDto {
  @ApiProperty({ description: 'The image id' })
  image!: string;

  @ApiProperty({ description: 'The label id (the image id)' })
  label!: string;

  @ApiProperty({ description: 'The tag it was saved under' })
  tag!: string;

  @ApiProperty({ description: '`SHA256:<hex>` of the stored label' })
  checksum!: string;
}

/** Reply of `GET /datastore/` (stats) and the `datastore` of `GET /info/`. */
export class DatastoreStatsDto {
  @ApiProperty({ description: 'Images stored' })
  total!: number;

  @ApiProperty({ description: 'Images with a `final` label' })
  completed!: number;

  @ApiProperty({ description: 'Labels per tag', example: { final: 1, original: 2 } })
  label_tags!: Record<string, number>;

  @ApiPropertyOptional({
    description: 'In `GET /info/` only, when the DICOMweb server could not be listed: why (the counts are then 0)',
  })
  unavailable?: string;
}

/** Reply of `GET /datastore/?output=all`. */
export class DatastoreListingDto {
  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  images_dir!: string;

  @ApiProperty()
  labels_dir!: string;

  @ApiPropertyOptional({
    description:
      '`{<id>: {image: {ext, info}, labels: {<tag>: {ext, info}}}}`; info holds `ts`, `checksum`, `name` of a stored ' +
      'file, and for a series of the DICOMweb server `SeriesInstanceUID`, `StudyInstanceUID`, `PatientID`, ' +
      '`Modality`, `StudyDate`, `StudyTime`',
    type: 'object',
    additionalProperties: true,
  })
  objects!: Record<string, unknown>;
}
