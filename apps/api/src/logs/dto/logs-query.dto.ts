import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** Query of `GET /logs`. `lines` is read leniently: anything but a positive whole number means the default. */
export class LogsQueryDto {
  @ApiPropertyOptional({ description: 'how many last lines (default 100, at most 100000)' })
  @IsOptional()
  @IsString()
  lines?: string;
}
