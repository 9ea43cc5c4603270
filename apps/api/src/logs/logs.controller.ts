import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { writeText } from '../common/http-reply';
import { AppConfig } from '../config/app-config';
import { LogsQueryDto } from './dto/logs-query.dto';
import { landingPage } from './landing-page';
import { readLastLines } from './read-last-lines';

/** `GET /logs?lines=N` (the tail of `<workspace>/logs/aiaa.log`) and the landing page `GET /`. */
@ApiTags('server')
@Controller()
export class LogsController {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  @Get('logs')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'the last lines of the server log' })
  async logs(@Query() query: LogsQueryDto, @Res() res: ServerResponse): Promise<void> {
    writeText(res, 200, await readLastLines(this.config.logFile, parseLines(query.lines)));
  }

  @Get()
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'landing page' })
  landing(@Res() res: ServerResponse): void {
    writeText(res, 200, landingPage(), 'text/html');
  }
}

function parseLines(value: string | undefined): number {
  const n = Number(value ?? 100);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 100_000) : 100;
}
