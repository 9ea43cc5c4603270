import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { SHAPE_FORMATS } from '@aiaa/core';
import { ENGINE_NAMES } from '@aiaa/inference';

/** Triton's state, with `--engine TRITON`. */
@ApiSchema({ name: 'TritonServerStatus', description: 'The Triton server inference goes to, as it reports itself.' })
export class TritonServerStatusDto {
  @ApiProperty({ example: '127.0.0.1:8001', description: "Triton's gRPC address (`--triton_ip:--triton_port`)." })
  address!: string;

  @ApiProperty({ description: 'Whether Triton answers at all.' })
  live!: boolean;

  @ApiProperty({ description: 'Whether Triton can run inference.' })
  ready!: boolean;

  @ApiPropertyOptional({ example: 'unreachable: connect ECONNREFUSED', description: 'Why it is not ready.' })
  detail?: string;
}

/** What `/health` and `/health/ready` answer. */
@ApiSchema({ name: 'Health', description: 'How the server and the engine it sends inference to are.' })
export class HealthReportDto {
  @ApiProperty({
    enum: ['ok', 'degraded'],
    description: '`degraded` when the engine the server sends inference to (Triton) is not ready.',
  })
  status!: 'ok' | 'degraded';

  @ApiProperty({ enum: ENGINE_NAMES, example: 'AIAA', description: 'The engine of `--engine`.' })
  engine!: string;

  @ApiProperty({
    enum: SHAPE_FORMATS,
    isArray: true,
    description: 'The shape formats (`image_format`) model configs may name.',
  })
  shapeFormats!: string[];

  @ApiPropertyOptional({
    allOf: [{ $ref: getSchemaPath(TritonServerStatusDto) }],
    description: "With `--engine TRITON`: Triton's liveness and readiness.",
  })
  triton?: TritonServerStatusDto;
}
