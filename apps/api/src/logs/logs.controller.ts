import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../admin/admin.guard';
import { writeText } from '../common/http-reply';
import { AppConfig } from '../config/app-config';
import { LogsQueryDto } from './dto/logs-query.dto';
import { readLastLogLines } from './read-last-lines';

/** `GET /logs?lines=N`: the tail of `<workspace>/logs/aiaa.log` (AIAA's route), under the admin rules. */
@ApiTags('server')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller()
export class LogsController {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  @Get('logs')
  @ApiOperation({
    summary: 'The last lines of the server log (JSON lines), as AIAA serves them',
    description: 'Admin rules apply: loopback, `--admin_hosts` or the admin token. Session ids appear only hashed.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'the last lines of the server log' })
  @ApiResponse({ status: 403, description: 'client not in --admin_hosts and no valid admin token' })
  async logs(@Query() query: LogsQueryDto, @Res() res: ServerResponse): Promise<void> {
    writeText(res, 200, await readLastLogLines(this.config.logFile, parseLines(query.lines)));
  }
}

function parseLines(value: string | undefined): number {
  const n = Number(value ?? 100);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 100_000) : 100;
}
