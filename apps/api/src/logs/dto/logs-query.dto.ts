import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** Query of `GET /logs`. `lines` is read leniently: anything but a positive whole number means the default. */
export class LogsQueryDto {
  @ApiPropertyOptional({
    example: '100',
    description: 'How many of the last lines: a whole number from 1 to 100000 (default, and for anything else: 100).',
  })
  @IsOptional()
  @IsString()
  lines?: string;
}
