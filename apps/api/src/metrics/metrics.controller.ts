import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { register } from 'prom-client';
import { AdminGuard } from '../admin/admin.guard';
import { writeText } from '../common/http-reply';
import { MetricsService } from './metrics.service';

/** `GET /metrics` on the main port, under the admin rules (see `--metrics_port` for a port of its own). */
@ApiTags('server')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller()
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  @Get('metrics')
  @ApiOperation({
    summary: 'Prometheus metrics (text format 0.0.4)',
    description:
      'Per model and version: requests succeeded and failed (by reason), in flight, queued, engine executions and ' +
      'seconds per stage; server-wide: model loads, uploads, sessions, Triton, process and event loop. Every name ' +
      'starts with `aiaa_`. Admin rules apply (loopback, `--admin_hosts` or the admin token).',
  })
  @ApiProduces(register.contentType)
  @ApiOkResponse({ description: 'the scrape' })
  @ApiResponse({ status: 403, description: 'client not in --admin_hosts and no valid admin token' })
  async scrape(@Res() res: ServerResponse): Promise<void> {
    writeText(res, 200, await this.metrics.scrape(), 'text/plain; version=0.0.4');
  }
}
