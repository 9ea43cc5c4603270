import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-only.decorator';
import { writeText } from '../common/http-reply';
import { ApiErrors } from '../docs/api-errors.decorator';
import { ApiTextReply } from '../docs/api-replies.decorator';
import { namedSchema } from '../docs/named-schema';
import { MetricsService } from './metrics.service';

/** Prometheus' text exposition format, as prom-client writes it. */
const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4';

const SCRAPE = namedSchema('MetricsScrape', {
  type: 'string',
  example:
    '# HELP aiaa_sessions_active Open /session images.\n# TYPE aiaa_sessions_active gauge\naiaa_sessions_active 0\n',
  description: 'Every metric in the Prometheus text format 0.0.4: `# HELP`, `# TYPE`, then one line per sample.',
});

/** `GET /metrics` on the main port, under the admin rules (see `--metrics_port` for a port of its own). */
@ApiTags('server')
@AdminOnly()
@Controller()
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  @Get('metrics')
  @ApiOperation({
    operationId: 'metrics',
    summary: 'Prometheus metrics (text format 0.0.4)',
    description:
      'Per model and version: requests succeeded and failed (by reason), in flight, queued, engine executions and ' +
      'seconds per stage; server-wide: model loads, uploads, sessions, Triton, process and event loop. Every name ' +
      'starts with `aiaa_`. Admin rules apply (loopback, `--admin_hosts` or the admin token).',
  })
  @ApiTextReply(200, 'The scrape.', METRICS_CONTENT_TYPE, SCRAPE)
  @ApiErrors()
  async scrape(@Res() res: ServerResponse): Promise<void> {
    writeText(res, 200, await this.metrics.scrape(), METRICS_CONTENT_TYPE);
  }
}
