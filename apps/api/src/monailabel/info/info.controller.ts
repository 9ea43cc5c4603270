import { Controller, Delete, Get, Inject, NotImplementedException, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AiaaError } from '@aiaa/core';
import { ApiErrors } from '../../docs/api-errors.decorator';
import { AuthDto, MonaiLabelInfoDto, MonaiLabelModelDto } from './dto/info.dto';
import { InfoService, type MonaiLabelInfo } from './info.service';

/** No training runs here: `GET /train/` answers 404, as MONAI Label does when no task is running. */
class NoTrainingError extends AiaaError {
  constructor() {
    super('not-found', 'no training task: this server runs inference only');
  }
}

const NO_TRAINING = { 404: 'No training task: none ever runs on this server.' };
const NOT_OFFERED = { 501: 'Training is not offered: this server runs inference only.' };

/** MONAI Label's `/info/`, `/auth/` and `/train/` (the last two so that clients see auth off and nothing training). */
@ApiTags('monailabel')
@ApiExtraModels(MonaiLabelModelDto)
@Controller()
export class InfoController {
  constructor(@Inject(InfoService) private readonly infoService: InfoService) {}

  @Get('info')
  @ApiOperation({
    operationId: 'monaiLabelInfo',
    summary: 'The MONAI Label app: models, strategies, datastore',
    description: 'The models with their MONAI Label type, labels and dimension; the strategies; the datastore counts.',
  })
  @ApiOkResponse({ type: MonaiLabelInfoDto, description: 'The app.' })
  @ApiErrors()
  info(): Promise<MonaiLabelInfo> {
    return this.infoService.info();
  }

  @Get('auth')
  @ApiOperation({
    operationId: 'monaiLabelAuth',
    summary: 'Authentication settings: off',
    description: "MONAI Label's clients ask first whether to log in: they then send no token.",
  })
  @ApiOkResponse({ type: AuthDto, description: 'Authentication is off.' })
  @ApiErrors()
  auth(): AuthDto {
    return { enabled: false };
  }

  @Get('train')
  @ApiOperation({
    operationId: 'trainingStatus',
    summary: 'The training task: 404, none ever runs',
    description: 'As MONAI Label answers when no task is running (with `check_if_running=true` alike).',
  })
  @ApiErrors(NO_TRAINING)
  trainStatus(): never {
    throw new NoTrainingError();
  }

  @Post('train')
  @ApiOperation({
    operationId: 'startTraining',
    summary: 'Start training: 501, not offered',
    description: 'This server runs inference only.',
  })
  @ApiErrors(NOT_OFFERED)
  trainStart(): never {
    throw notOffered();
  }

  @Post('train/:model')
  @ApiOperation({
    operationId: 'startModelTraining',
    summary: 'Start training one model: 501, not offered',
    description: 'This server runs inference only.',
  })
  @ApiParam({ name: 'model', description: 'The model to train, as `GET /info/` lists it.' })
  @ApiErrors(NOT_OFFERED)
  trainModelStart(): never {
    throw notOffered();
  }

  @Delete('train')
  @ApiOperation({
    operationId: 'stopTraining',
    summary: 'Stop training: 404, no training task runs',
    description: 'As MONAI Label answers when no task is running.',
  })
  @ApiErrors(NO_TRAINING)
  trainStop(): never {
    throw new NoTrainingError();
  }
}

function notOffered(): NotImplementedException {
  return new NotImplementedException('training is not offered by this server: it runs inference only');
}
