import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { namedSchema } from '../../../docs/named-schema';

/** Reply of `PUT /datastore/`. */
@ApiSchema({ name: 'StoredImage', description: 'The stored image.' })
export class PutImageReplyDto {
  @ApiProperty({ description: 'The id the image was stored under' })
  image!: string;
}

/** Reply of `PUT /datastore/label`. */
@ApiSchema({ name: 'StoredLabel', description: 'The stored label.' })
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
@ApiSchema({ name: 'DatastoreStats', description: 'How many images and labels the datastore holds.' })
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
@ApiSchema({ name: 'DatastoreListing', description: 'Every image of the datastore with its labels.' })
export class DatastoreListingDto {
  @ApiProperty({ description: 'The datastore name.' })
  name!: string;

  @ApiProperty({ description: 'What it holds.' })
  description!: string;

  @ApiProperty({ description: 'The folder of the images on the server.' })
  images_dir!: string;

  @ApiProperty({ description: 'The folder of the labels on the server.' })
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

/** Reply of `GET /datastore/?output=train`: the image and label files of every final label. */
export const TRAINING_PAIRS = namedSchema('DatastoreTrainingPairs', {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      image: { type: 'string', description: 'The image file on the server.' },
      label: { type: 'string', description: 'Its final label file on the server.' },
    },
    description: 'One image and its final label.',
  },
  description: 'The image and label files of every `final` label.',
});

/** `{}`: what the datastore's deletions and existence checks answer. */
export const EMPTY_REPLY = namedSchema('Empty', {
  type: 'object',
  additionalProperties: false,
  description: '`{}`: done.',
});
