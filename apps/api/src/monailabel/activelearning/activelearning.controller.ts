import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { NextSampleDto } from './dto/next-sample.dto';
import { ActiveLearningService } from './activelearning.service';
import { STRATEGIES } from './strategies';

/** MONAI Label's `POST /activelearning/{strategy}`. */
@ApiTags('monailabel')
@Controller('activelearning')
export class ActiveLearningController {
  constructor(@Inject(ActiveLearningService) private readonly activeLearning: ActiveLearningService) {}

  @Post(':strategy')
  @HttpCode(200)
  @ApiOperation({ summary: 'The next image to annotate: one without a final label, or `{}` when none is left' })
  @ApiParam({ name: 'strategy', enum: Object.keys(STRATEGIES) })
  @ApiBody({
    required: false,
    description: 'JSON `{"client_id": ...}` (ignored)',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiOkResponse({ type: NextSampleDto, description: 'the image, or `{}`' })
  @ApiResponse({ status: 404, description: 'unknown strategy' })
  next(@Param('strategy') strategy: string): Promise<Record<string, unknown>> {
    return this.activeLearning.next(strategy);
  }
}
