import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ModelInfo } from '../runtime/loaded-model';
import { ModelsService } from './models.service';

/** The AIAA `/v1` API the official clients, Slicer and OHIF call. */
@ApiTags('v1')
@Controller('v1')
export class V1Controller {
  constructor(@Inject(ModelsService) private readonly models: ModelsService) {}

  @Get('models')
  @ApiOperation({ summary: 'Loaded models: an array, or one object with ?model=' })
  @ApiQuery({ name: 'model', required: false, description: 'One model by name (answers an object, 404 if unknown)' })
  @ApiQuery({ name: 'label', required: false, description: 'Case-insensitive label: exact matches, else substrings' })
  @ApiQuery({
    name: 'type',
    required: false,
    description: 'segmentation | annotation | classification | deepgrow | ...',
  })
  @ApiResponse({ status: 200, description: '`[{name, labels, description, version, type, ...}]`' })
  listModels(
    @Query('model') model?: string,
    @Query('label') label?: string,
    @Query('type') type?: string,
  ): ModelInfo | ModelInfo[] {
    return model !== undefined && model !== '' ? this.models.one(model) : this.models.list({ label, type });
  }
}
