import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-only.decorator';
import { writeText } from '../common/http-reply';
import { ApiErrors } from '../docs/api-errors.decorator';
import { ApiTextReply } from '../docs/api-replies.decorator';
import { namedSchema } from '../docs/named-schema';
import { MetricsService } from './metrics.service';

const SCRAPE = namedSchema('MetricsScrape', {
  type: 'string',
  example:
    '# TYPE aiaa_inference_requests_succeeded_total counter\n' +
    'aiaa_inference_requests_succeeded_total{model="spleen_ct_threshold",version="1",route="segmentation",protocol="aiaa"} 3\n',
  description: 'Prometheus text exposition format 0.0.4: `# HELP`/`# TYPE` lines and one sample per line.',
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
  @ApiTextReply(200, 'The scrape.', 'text/plain; version=0.0.4', SCRAPE)
  @ApiErrors()
  async scrape(@Res() res: ServerResponse): Promise<void> {
    writeText(res, 200, await this.metrics.scrape(), 'text/plain; version=0.0.4');
  }
}
