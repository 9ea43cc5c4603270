import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SHAPE_FORMATS } from '@aiaa/core';
import type { TritonStatus } from '@aiaa/inference';
import { AppConfig } from './config/app-config';
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
    summary: "Liveness: always 200 while the server answers; says the engine's state (Triton's with --engine TRITON)",
  })
  @ApiResponse({
    status: 200,
    description: '`{status: ok|degraded, engine, shapeFormats, triton?: {address, live, ready, detail?}}`',
  })
  health(): Promise<HealthReport> {
    return this.#report();
  }

  @Get('health/ready')
  @ApiOperation({
    summary: 'Readiness: 200 when inference can run, 503 while Triton (with --engine TRITON) is not ready',
  })
  @ApiResponse({ status: 200, description: 'The health report, status ok' })
  @ApiResponse({ status: 503, description: 'The health report, status degraded' })
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
