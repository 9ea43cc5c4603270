import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { writeText } from '../common/http-reply';
import { AppConfig } from '../config/app-config';
import { ApiErrors } from '../docs/api-errors.decorator';
import { ApiTextReply } from '../docs/api-replies.decorator';
import { namedSchema } from '../docs/named-schema';
import { LogsQueryDto } from './dto/logs-query.dto';
import { readLastLines } from './read-last-lines';

const LOG_LINES = namedSchema('LogLines', {
  type: 'string',
  example: '2026-01-01T12:00:00.000Z LOG [NestApplication] Nest application successfully started\n',
  description: 'Log lines, oldest first, each `<ISO time> <LEVEL> [<context>] <message>` and a newline.',
});

/** `GET /logs?lines=N`: the tail of `<workspace>/logs/aiaa.log`. */
@ApiTags('server')
@Controller()
export class LogsController {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  @Get('logs')
  @ApiOperation({
    operationId: 'logs',
    summary: 'The last lines of the server log',
    description: 'The tail of `<workspace>/logs/aiaa.log` (OHIF calls it as `/logs/`); empty before the first line.',
  })
  @ApiTextReply(200, 'The last lines of the server log.', 'text/plain', LOG_LINES)
  @ApiErrors(400)
  async logs(@Query() query: LogsQueryDto, @Res() res: ServerResponse): Promise<void> {
    writeText(res, 200, await readLastLines(this.config.logFile, parseLines(query.lines)));
  }
}

function parseLines(value: string | undefined): number {
  const n = Number(value ?? 100);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 100_000) : 100;
}
