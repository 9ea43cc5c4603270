import { ApiProperty } from '@nestjs/swagger';
import { DatastoreStatsDto } from '../../datastore/dto/datastore-replies.dto';

/** One `models` entry of `GET /info/`. */
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

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Options offered to users (none)' })
  config!: Record<string, unknown>;
}

/** `GET /info/`. */
export class MonaiLabelInfoDto {
  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  version!: string;

  @ApiProperty({ type: [String], description: "Every model's labels" })
  labels!: string[];

  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/MonaiLabelModelDto' } })
  models!: Record<string, MonaiLabelModelDto>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'None: this server runs inference only' })
  trainers!: Record<string, never>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', properties: { description: { type: 'string' } } },
    example: { random: { description: '…' }, first: { description: '…' } },
  })
  strategies!: Record<string, { description: string }>;

  @ApiProperty({ type: 'object', additionalProperties: true })
  scoring!: Record<string, never>;

  @ApiProperty({ type: 'object', additionalProperties: true })
  train_stats!: Record<string, never>;

  @ApiProperty({ type: DatastoreStatsDto })
  datastore!: DatastoreStatsDto;
}

/** `GET /auth/`: authentication is off. */
export class AuthDto {
  @ApiProperty({ example: false })
  enabled!: boolean;
}
