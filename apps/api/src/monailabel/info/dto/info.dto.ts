import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { DatastoreStatsDto } from '../../datastore/dto/datastore-replies.dto';

/** One `models` entry of `GET /info/`. */
@ApiSchema({ name: 'MonaiLabelModel', description: 'A model as MONAI Label clients read it.' })
export class MonaiLabelModelDto {
  @ApiProperty({
    enum: ['segmentation', 'annotation', 'classification', 'deepgrow', 'deepedit', 'others'],
    description: "MONAI Label's type for the config's: `pipeline` models are `deepedit`",
  })
  type!: string;

  @ApiProperty({ type: [String], description: 'Label names; the value written for label n (1-based) is n' })
  labels!: string[];

  @ApiProperty({ enum: [2, 3], description: '2 for deepgrow 2D models (clicks on one slice)' })
  dimension!: number;

  @ApiProperty({ description: "The config's `description`." })
  description!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Options offered to users (none)' })
  config!: Record<string, unknown>;
}

/** `GET /info/`. */
@ApiSchema({ name: 'MonaiLabelInfo', description: 'The MONAI Label app this server presents.' })
export class MonaiLabelInfoDto {
  @ApiProperty({ description: 'The app name.' })
  name!: string;

  @ApiProperty({ description: 'What the app is.' })
  description!: string;

  @ApiProperty({ description: "The server's version." })
  version!: string;

  @ApiProperty({ type: [String], description: "Every model's labels" })
  labels!: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(MonaiLabelModelDto) },
    description: 'The models by name.',
  })
  models!: Record<string, MonaiLabelModelDto>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'None: this server runs inference only' })
  trainers!: Record<string, never>;

  @ApiProperty({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { description: { type: 'string', description: 'What the strategy picks.' } },
    },
    example: { random: { description: '…' }, first: { description: '…' } },
    description: 'The strategies of `POST /activelearning/{strategy}`, by name.',
  })
  strategies!: Record<string, { description: string }>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'None: no scoring methods.' })
  scoring!: Record<string, never>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'None: nothing was trained here.' })
  train_stats!: Record<string, never>;

  @ApiProperty({ allOf: [{ $ref: getSchemaPath(DatastoreStatsDto) }], description: 'The datastore counts.' })
  datastore!: DatastoreStatsDto;
}

/** `GET /auth/`: authentication is off. */
@ApiSchema({ name: 'MonaiLabelAuth', description: 'Whether clients must log in.' })
export class AuthDto {
  @ApiProperty({ example: false, description: 'Always false: no login.' })
  enabled!: boolean;
}
