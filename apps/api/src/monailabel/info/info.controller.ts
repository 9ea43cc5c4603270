import { Controller, Delete, Get, Inject, NotImplementedException, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AiaaError } from '@aiaa/core';
import { AuthDto, MonaiLabelInfoDto, MonaiLabelModelDto } from './dto/info.dto';
import { InfoService, type MonaiLabelInfo } from './info.service';

/** No training runs here: `GET /train/` answers 404, as MONAI Label does when no task is running. */
class NoTrainingError extends AiaaError {
  constructor() {
    super('not-found', 'no training task: this server runs inference only');
  }
}

/** MONAI Label's `/info/`, `/auth/` and `/train/` (the last two so that clients see auth off and nothing training). */
@ApiTags('monailabel')
@ApiExtraModels(MonaiLabelModelDto)
@Controller()
export class InfoController {
  constructor(@Inject(InfoService) private readonly infoService: InfoService) {}

  @Get('info')
  @ApiOperation({ summary: 'The app: models with their MONAI Label type, labels and dimension; strategies; datastore' })
  @ApiOkResponse({ type: MonaiLabelInfoDto })
  info(): Promise<MonaiLabelInfo> {
    return this.infoService.info();
  }

  @Get('auth')
  @ApiOperation({ summary: 'Authentication settings: off (clients then send no token)' })
  @ApiOkResponse({ type: AuthDto })
  auth(): AuthDto {
    return { enabled: false };
  }

  @Get('train')
  @ApiOperation({ summary: 'The training task: 404, since none ever runs (`check_if_running=true` alike)' })
  @ApiResponse({ status: 404, description: 'no training task' })
  trainStatus(): never {
    throw new NoTrainingError();
  }

  @Post(['train', 'train/:model'])
  @ApiOperation({ summary: 'Start training: 501, this server runs inference only' })
  @ApiResponse({ status: 501, description: 'training is not offered' })
  trainStart(): never {
    throw new NotImplementedException('training is not offered by this server: it runs inference only');
  }

  @Delete('train')
  @ApiOperation({ summary: 'Stop training: 404, no training task runs' })
  @ApiResponse({ status: 404, description: 'no training task' })
  trainStop(): never {
    throw new NoTrainingError();
  }
}
