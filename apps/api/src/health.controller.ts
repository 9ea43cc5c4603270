import { Controller, Get } from '@nestjs/common';
import { SHAPE_FORMATS } from '@aiaa/core';

@Controller()
export class HealthController {
  /** Liveness: the server answers and knows its image formats. */
  @Get('health')
  health(): { status: 'ok'; shapeFormats: readonly string[] } {
    return { status: 'ok', shapeFormats: SHAPE_FORMATS };
  }
}
