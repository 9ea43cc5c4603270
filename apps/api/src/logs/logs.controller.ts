import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-only.decorator';
import { writeText } from '../common/http-reply';
import { AppConfig } from '../config/app-config';
import { ApiErrors } from '../docs/api-errors.decorator';
import { ApiTextReply } from '../docs/api-replies.decorator';
import { namedSchema } from '../docs/named-schema';
import { LogsQueryDto } from './dto/logs-query.dto';
import { readLastLogLines } from './read-last-lines';

const LOG_LINES = namedSchema('LogLines', {
  type: 'string',
  example: '{"level":30,"time":1767268800000,"msg":"Nest application successfully started"}\n',
  description: 'Log lines, oldest first: one JSON object per line.',
});

/** `GET /logs?lines=N`: the tail of `<workspace>/logs/aiaa.log` (AIAA's route), under the admin rules. */
@ApiTags('server')
@AdminOnly()
@Controller()
export class LogsController {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  @Get('logs')
  @ApiOperation({
    operationId: 'logs',
    summary: 'The last lines of the server log (JSON lines), as AIAA serves them',
    description:
      'The tail of `<workspace>/logs/aiaa.log` (OHIF calls it as `/logs/`); empty before the first line. Admin ' +
      'rules apply: loopback, `--admin_hosts` or the admin token. Session ids appear only hashed.',
  })
  @ApiTextReply(200, 'The last lines of the server log.', 'text/plain', LOG_LINES)
  @ApiErrors(400)
  async logs(@Query() query: LogsQueryDto, @Res() res: ServerResponse): Promise<void> {
    writeText(res, 200, await readLastLogLines(this.config.logFile, parseLines(query.lines)));
  }
}

function parseLines(value: string | undefined): number {
  const n = Number(value ?? 100);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 100_000) : 100;
}
