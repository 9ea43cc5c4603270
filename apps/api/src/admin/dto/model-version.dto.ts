import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** One stored version of a model (`GET /admin/model/{name}/versions`, `DELETE /admin/model/{name}?version=N`). */
@ApiSchema({ name: 'ModelVersion', description: 'One kept version of a model, in `models/<name>/<version>/`.' })
export class ModelVersionDto {
  @ApiProperty({ example: 2, description: 'The version number: its folder `models/<name>/<version>/`.' })
  version!: number;

  @ApiProperty({ description: 'Whether this version serves.' })
  active!: boolean;

  @ApiProperty({ example: 'segmentation', description: "The version's config `type`." })
  type!: string;

  @ApiProperty({ example: '1', description: "The config's own `version` field." })
  configVersion!: string;

  @ApiProperty({ type: [String], example: ['spleen'], description: "The version's config `labels`." })
  labels!: string[];

  @ApiProperty({ description: "The version's config `description`." })
  description!: string;

  @ApiProperty({ example: 'AIAA', description: '`AIAA`, `TRITON` or `native`.' })
  engine!: string;

  @ApiPropertyOptional({ example: 'model.onnx', description: 'The model file in the version folder.' })
  modelFile?: string;

  @ApiProperty({ description: 'Bytes of the version folder.' })
  sizeBytes!: number;

  @ApiProperty({ description: 'SHA-256 of the model file (of the config when there is none), hex.' })
  sha256!: string;

  @ApiProperty({ description: 'When it was uploaded (or found), ISO 8601.' })
  createdAt!: string;

  @ApiProperty({
    example: 'upload',
    description: '`upload` (`PUT /admin/model`), `folder` (found in `models/` at boot) or `migrated`.',
  })
  origin!: string;

  @ApiPropertyOptional({ example: '127.0.0.1', description: 'The address the upload came from.' })
  clientAddress?: string;

  @ApiPropertyOptional({
    example: 'admin_hosts',
    description: 'How the upload was let in: `admin_hosts` (its address) or `admin_token`.',
  })
  clientAuth?: string;

  @ApiPropertyOptional({ example: 'model.pt', description: 'The file name the client sent.' })
  sourceFile?: string;
}

/** `GET /admin/model/{name}/versions`. */
@ApiSchema({ name: 'ModelVersions', description: "A model's kept versions and the one that serves." })
export class ModelVersionsDto {
  @ApiProperty({ example: 'spleen', description: 'The model name.' })
  name!: string;

  @ApiProperty({ example: 2, description: 'The version that serves.' })
  activeVersion!: number;

  @ApiProperty({ type: [ModelVersionDto], description: 'Every kept version, newest first.' })
  versions!: ModelVersionDto[];
}
