import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { SHAPE_FORMATS } from '@aiaa/core';
import type { TritonStatus } from '@aiaa/inference';
import { AppConfig } from './config/app-config';
import { ApiErrors } from './docs/api-errors.decorator';
import { HealthReportDto } from './health-report.dto';
import { TritonStatusService } from './runtime/triton-status.service';

/** What `/health` answers: `degraded` when the engine the server sends inference to is not ready. */
export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly engine: string;
  readonly shapeFormats: readonly string[];
  /** With `--engine TRITON`: Triton's address, liveness and readiness, and why it is not ready. */
  readonly triton?: TritonStatus;
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(TritonStatusService) private readonly triton: TritonStatusService,
  ) {}

  @Get('health')
  @ApiOperation({
    operationId: 'health',
    summary: 'Liveness: 200 while the server answers',
    description: "Always 200 while the server answers; says the engine's state (Triton's with `--engine TRITON`).",
  })
  @ApiOkResponse({ type: HealthReportDto, description: 'The health report.' })
  @ApiErrors()
  health(): Promise<HealthReport> {
    return this.#report();
  }

  @Get('health/ready')
  @ApiOperation({
    operationId: 'ready',
    summary: 'Readiness: 200 when inference can run',
    description: 'For load balancers: 200 when inference can run, 503 while Triton (`--engine TRITON`) is not ready.',
  })
  @ApiExtraModels(HealthReportDto)
  @ApiOkResponse({ type: HealthReportDto, description: 'The health report, status `ok`.' })
  @ApiResponse({
    status: 503,
    description: 'The health report, status `degraded` (not the `Error` body: the report says why).',
    content: { 'application/json': { schema: { $ref: getSchemaPath(HealthReportDto) } } },
  })
  @ApiErrors()
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.#report();
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }

  async #report(): Promise<HealthReport> {
    const triton = await this.triton.server();
    const base = { engine: this.config.engine, shapeFormats: SHAPE_FORMATS };
    if (triton === undefined) {
      return { status: 'ok', ...base };
    }
    return { status: triton.ready ? 'ok' : 'degraded', ...base, triton };
  }
}
