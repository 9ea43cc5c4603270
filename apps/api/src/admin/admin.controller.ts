import { Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/api-errors.decorator';
import { AdminOnly } from './admin-only.decorator';
import { MODEL_CONFIG, MODEL_RECORD_LIST, ModelSummaryDto } from './dto/model-response.dto';
import { PutModelQueryDto } from './dto/put-model-query.dto';
import { ModelRegistryService } from './model-registry.service';
import { MODEL_PARTS } from './dto/model-parts.dto';
import type { PendingUpload } from '../upload/pending-upload';
import { ReceivesParts, Upload } from '../upload/upload.interceptor';

const NAME_PARAM = {
  name: 'name',
  example: 'spleen_ct_threshold',
  description: 'The model name: letters, digits, `.`, `_`, `-`; at most 64 characters.',
};
const NO_SUCH_MODEL = {
  400: 'The name breaks the naming rule, which the message names.',
  404: 'No model by that name is registered.',
};

/** `/admin/model`: the model registry (AIAA's admin API). Every success is 200, for PUT too. */
@ApiTags('admin')
@AdminOnly()
@Controller('admin/model')
export class AdminController {
  constructor(@Inject(ModelRegistryService) private readonly registry: ModelRegistryService) {}

  @Put(':name')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putModel',
    summary: 'Upload or replace a model',
    description:
      'Multipart parts: `config` (config_aiaa.json) and `data` (the model file), `data` alone as a zip bundle ' +
      '(`config/config_aiaa.json` + `models/...`), or `config` alone for pipeline and plugin models. The model is ' +
      'validated and loaded before anything is committed; the previous version serves until then.',
  })
  @ApiParam(NAME_PARAM)
  @ReceivesParts(MODEL_PARTS)
  @ApiOkResponse({ type: ModelSummaryDto, description: 'The installed model.' })
  @ApiErrors(408, 413, {
    400: 'A bad name, config, bundle or plugin, named in the message; nothing changed.',
    503: 'With `--engine TRITON`: Triton could not load the model; nothing changed.',
  })
  put(
    @Param('name') name: string,
    @Query() query: PutModelQueryDto,
    @Upload() upload: PendingUpload,
  ): Promise<ModelSummaryDto> {
    return this.registry.put(name, upload, { native: query.native === true });
  }

  @Get()
  @ApiOperation({
    operationId: 'listModelRecords',
    summary: 'List registered models',
    description: 'The registry: every model installed through `PUT /admin/model/{name}` or found at start.',
  })
  @ApiOkResponse({ schema: MODEL_RECORD_LIST, description: 'The registered models.' })
  @ApiErrors()
  list(): Promise<ModelSummaryDto[]> {
    return this.registry.list();
  }

  @Get(':name')
  @ApiOperation({
    operationId: 'getModelConfig',
    summary: "A model's config_aiaa.json, as stored",
    description: 'The config exactly as it was uploaded (AIAA answers the same).',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ schema: MODEL_CONFIG, description: 'The stored `config_aiaa.json`.' })
  @ApiErrors(NO_SUCH_MODEL)
  getConfig(@Param('name') name: string): Promise<unknown> {
    return this.registry.getConfig(name);
  }

  @Delete(':name')
  @ApiOperation({
    operationId: 'deleteModel',
    summary: 'Unload a model and remove its files and registry row',
    description:
      'Requests already running finish first; with `--engine TRITON` the model leaves Triton too (a failure to ' +
      'unload it there is logged, the model is deleted all the same).',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ type: ModelSummaryDto, description: 'The removed model.' })
  @ApiErrors(NO_SUCH_MODEL)
  delete(@Param('name') name: string): Promise<ModelSummaryDto> {
    return this.registry.delete(name);
  }
}
