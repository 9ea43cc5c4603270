import { Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from './admin.guard';
import { ModelSummaryDto } from './dto/model-response.dto';
import { PutModelQueryDto } from './dto/put-model-query.dto';
import { ModelRegistryService } from './model-registry.service';
import { MODEL_PARTS } from './dto/model-parts.dto';
import type { PendingUpload } from '../upload/pending-upload';
import { ReceivesParts, Upload } from '../upload/upload.interceptor';

const NAME_PARAM = { name: 'name', description: 'model name: letters, digits, ., _, -; at most 64 characters' };

/** `/admin/model`: the model registry (AIAA's admin API). Every success is 200, for PUT too. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 403, description: 'client not in --admin_hosts and no valid admin token' })
@UseGuards(AdminGuard)
@Controller('admin/model')
export class AdminController {
  constructor(@Inject(ModelRegistryService) private readonly registry: ModelRegistryService) {}

  @Put(':name')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Upload or replace a model',
    description:
      'Multipart parts: `config` (config_aiaa.json) and `data` (the model file), `data` alone as a zip bundle ' +
      '(`config/config_aiaa.json` + `models/...`), or `config` alone for pipeline and plugin models. The model is ' +
      'validated and loaded before anything is committed; the previous version serves until then.',
  })
  @ApiParam(NAME_PARAM)
  @ReceivesParts(MODEL_PARTS)
  @ApiOkResponse({ type: ModelSummaryDto, description: 'the installed model' })
  @ApiResponse({ status: 400, description: 'bad name, config, bundle or plugin; nothing changed' })
  @ApiResponse({ status: 413, description: 'upload over --max_upload_mb' })
  put(
    @Param('name') name: string,
    @Query() query: PutModelQueryDto,
    @Upload() upload: PendingUpload,
  ): Promise<ModelSummaryDto> {
    return this.registry.put(name, upload, { native: query.native === true });
  }

  @Get()
  @ApiOperation({ summary: 'List registered models' })
  @ApiOkResponse({ type: [ModelSummaryDto] })
  list(): Promise<ModelSummaryDto[]> {
    return this.registry.list();
  }

  @Get(':name')
  @ApiOperation({ summary: "A model's config_aiaa.json, as stored" })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ description: 'config_aiaa.json', schema: { type: 'object' } })
  @ApiResponse({ status: 404, description: 'no such model' })
  getConfig(@Param('name') name: string): Promise<unknown> {
    return this.registry.getConfig(name);
  }

  @Delete(':name')
  @ApiOperation({ summary: 'Unload a model and remove its files and registry row' })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ type: ModelSummaryDto, description: 'the removed model' })
  @ApiResponse({ status: 404, description: 'no such model' })
  delete(@Param('name') name: string): Promise<ModelSummaryDto> {
    return this.registry.delete(name);
  }
}
