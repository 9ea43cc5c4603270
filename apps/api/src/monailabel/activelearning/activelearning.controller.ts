import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiErrors } from '../../docs/api-errors.decorator';
import { namedSchema } from '../../docs/named-schema';
import { NextSampleDto } from './dto/next-sample.dto';
import { ActiveLearningService } from './activelearning.service';
import { STRATEGIES } from './strategies';

const NOTHING_LEFT = namedSchema('NoSampleLeft', {
  type: 'object',
  additionalProperties: false,
  description: '`{}`: every image has a `final` label.',
});

/** MONAI Label's `POST /activelearning/{strategy}`. */
@ApiTags('monailabel')
@ApiExtraModels(NextSampleDto)
@Controller('activelearning')
export class ActiveLearningController {
  constructor(@Inject(ActiveLearningService) private readonly activeLearning: ActiveLearningService) {}

  @Post(':strategy')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'nextSample',
    summary: 'The next image to annotate',
    description: 'One image without a `final` label, picked by the strategy, or `{}` when none is left.',
  })
  @ApiParam({ name: 'strategy', enum: Object.keys(STRATEGIES), description: 'How to pick, as `GET /info/` lists.' })
  @ApiBody({
    required: false,
    description: 'JSON `{"client_id": ...}`, ignored.',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiOkResponse({
    description: 'The image, or `{}`.',
    schema: { oneOf: [{ $ref: getSchemaPath(NextSampleDto) }, NOTHING_LEFT] },
  })
  @ApiErrors({
    400: 'A body that is not JSON.',
    404: 'An unknown strategy; the message lists the known ones.',
    503: 'The DICOMweb server (`--dicomweb`) whose series are listed cannot be reached; the message names it.',
  })
  next(@Param('strategy') strategy: string): Promise<Record<string, unknown>> {
    return this.activeLearning.next(strategy);
  }
}
