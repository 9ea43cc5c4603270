import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';

/** What a session tells about its image. */
@ApiSchema({ name: 'SessionImage', description: 'The session image, as read at upload.' })
export class SessionImageDto {
  @ApiProperty({ type: [Number], example: [512, 512, 90], description: 'Sizes `[i, j, k]` (W, H, D) in voxels.' })
  size!: number[];

  @ApiProperty({ type: [Number], example: [0.79, 0.79, 5], description: 'Voxel size along i, j, k, in mm.' })
  spacing_mm!: number[];

  @ApiProperty({ example: 1, description: 'Values per voxel (1 for a scalar image).' })
  channels!: number;

  @ApiProperty({ example: 'int16', description: 'The voxel type as stored (`uint8`, `int16`, `float32`, …).' })
  dtype!: string;
}

/** A session as `PUT /session/` and `GET /session/{id}` answer it; times are Unix seconds, as AIAA's. */
@ApiSchema({ name: 'SessionInfo', description: 'An uploaded image that later requests name by `session_id`.' })
export class SessionInfoDto {
  @ApiProperty({
    example: '8c5f1e0e-3a8f-4c55-9e0b-2f1b8f0e6a11',
    description: 'The id to send as `session_id`.',
  })
  session_id!: string;

  @ApiProperty({ example: 'spleen_8_ct.nii.gz', description: "The uploaded file's name, as the client sent it." })
  name!: string;

  @ApiProperty({ example: 1094868, description: 'Bytes of the stored image.' })
  size_bytes!: number;

  @ApiProperty({ example: 3600, description: 'Seconds of inactivity after which the session is removed.' })
  expiry!: number;

  @ApiProperty({ allOf: [{ $ref: getSchemaPath(SessionImageDto) }], description: 'The image, as read at upload.' })
  image!: SessionImageDto;

  @ApiProperty({ example: 1767225600.5, description: 'When the session was created, Unix seconds.' })
  create_ts!: number;

  @ApiProperty({ example: 1767225612.25, description: 'The last request that used it, Unix seconds.' })
  last_access_ts!: number;
}

/** What `DELETE /session/{id}` answers. */
@ApiSchema({ name: 'SessionClosed', description: 'The closed session.' })
export class SessionClosedDto {
  @ApiProperty({ description: 'The id of the closed session.' })
  session_id!: string;

  @ApiProperty({ enum: [true], description: 'Always true: the session and its files are gone.' })
  deleted!: true;
}

/** MONAI Label's `session_info`, which its clients read from `PUT /session/` with `files` parts. */
@ApiSchema({ name: 'MonaiLabelSessionInfo', description: "The session as MONAI Label's clients read it." })
export class MonaiLabelSessionInfoDto {
  @ApiProperty({ example: 'spleen_8_ct.nii.gz', description: "The uploaded file's name, as the client sent it." })
  name!: string;

  @ApiProperty({ description: 'Where the server keeps the session image.' })
  image!: string;

  @ApiProperty({ allOf: [{ $ref: getSchemaPath(SessionImageDto) }], description: 'The image, as read at upload.' })
  meta!: SessionImageDto;

  @ApiProperty({ example: 1767225600.5, description: 'When the session was created, Unix seconds.' })
  create_ts!: number;

  @ApiProperty({ example: 1767225600.5, description: 'The last request that used it, Unix seconds.' })
  last_access_ts!: number;

  @ApiProperty({ example: 3600, description: 'Seconds of inactivity after which the session is removed.' })
  expiry!: number;
}

/** What `PUT /session/` answers: AIAA's session, plus MONAI Label's `session_info` for its `files` form. */
@ApiSchema({ name: 'CreatedSession', description: 'The new session.' })
export class CreatedSessionDto extends SessionInfoDto {
  @ApiPropertyOptional({
    allOf: [{ $ref: getSchemaPath(MonaiLabelSessionInfoDto) }],
    description: "With MONAI Label's `files` parts: the session as its clients read it.",
  })
  session_info?: MonaiLabelSessionInfoDto;
}
