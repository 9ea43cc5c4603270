import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors } from '../docs/api-errors.decorator';
import { AdminOnly } from './admin-only.decorator';
import { Caller, type AdminCaller } from './admin.guard';
import { ActivateVersionDto } from './dto/activate-version.dto';
import { MODEL_CONFIG, MODEL_RECORD_LIST, ModelSummaryDto } from './dto/model-response.dto';
import { ModelVersionDto, ModelVersionsDto } from './dto/model-version.dto';
import { PutModelQueryDto } from './dto/put-model-query.dto';
import { VersionQueryDto } from './dto/version-query.dto';
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

/** `/admin/model`: the model registry (AIAA's admin API) and its versions. Every success is 200, for PUT too. */
@ApiTags('admin')
@AdminOnly()
@ApiExtraModels(ModelSummaryDto, ModelVersionDto)
@ApiErrors({ 503: 'The registry database is unreachable (the message says so); loaded models keep serving inference.' })
@Controller('admin/model')
export class AdminController {
  constructor(@Inject(ModelRegistryService) private readonly registry: ModelRegistryService) {}

  @Put(':name')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putModel',
    summary: 'Upload a new version of a model and make it active',
    description:
      'Multipart parts: `config` (config_aiaa.json) and `data` (the model file), `data` alone as a zip bundle ' +
      '(`config/config_aiaa.json` + `models/...`), or `config` alone for pipeline and plugin models. The upload ' +
      'becomes version N+1 in `models/<name>/<N+1>/`, validated and loaded before anything is committed; the active ' +
      'version serves until then. Inactive versions beyond `--keep_versions` are pruned, oldest first.',
  })
  @ApiParam(NAME_PARAM)
  @ReceivesParts(MODEL_PARTS)
  @ApiOkResponse({ type: ModelSummaryDto, description: 'The model, its new version active.' })
  @ApiErrors(408, 413, {
    400: 'A bad name, config, bundle or plugin, named in the message; nothing changed.',
    409: 'The name differs only by case from a registered model.',
    503: 'With `--engine TRITON`: Triton could not load the model; nothing changed.',
  })
  put(
    @Param('name') name: string,
    @Query() query: PutModelQueryDto,
    @Upload() upload: PendingUpload,
    @Caller() caller: AdminCaller | undefined,
  ): Promise<ModelSummaryDto> {
    return this.registry.put(name, upload, { native: query.native === true, ...(caller ? { caller } : {}) });
  }

  @Get()
  @ApiOperation({
    operationId: 'listModelRecords',
    summary: 'List registered models, each described by its active version',
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
    description:
      "The active version's config (or `?version=N`'s), with the registry's `active_version` and `versions` (the " +
      'kept version numbers) added.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({
    schema: MODEL_CONFIG,
    description: 'The stored `config_aiaa.json` plus `active_version` and `versions`.',
  })
  @ApiErrors({ ...NO_SUCH_MODEL, 404: 'No model, or no such version of it.' })
  getConfig(@Param('name') name: string, @Query() query: VersionQueryDto): Promise<Record<string, unknown>> {
    return this.registry.getConfig(name, query.version);
  }

  @Get(':name/versions')
  @ApiOperation({
    operationId: 'listModelVersions',
    summary: "A model's kept versions, newest first, with the active one flagged",
    description: 'Every version kept in `models/<name>/<N>/`, and which one serves.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ type: ModelVersionsDto, description: 'The kept versions.' })
  @ApiErrors(NO_SUCH_MODEL)
  versions(@Param('name') name: string): Promise<ModelVersionsDto> {
    return this.registry.versions(name);
  }

  @Put(':name/active')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'activateModelVersion',
    summary: 'Make a kept version active',
    description:
      'Loads the version, then switches: new requests get it, requests in flight finish on the version they ' +
      'started with. Activating the active version changes nothing and reloads nothing.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ type: ModelSummaryDto, description: 'The model, the version active.' })
  @ApiErrors({
    400: 'The body is not `{"version": N}`, or the version fails to load.',
    404: 'No model, or no such version of it.',
  })
  activate(@Param('name') name: string, @Body() body: ActivateVersionDto): Promise<ModelSummaryDto> {
    return this.registry.activate(name, body.version);
  }

  @Delete(':name')
  @ApiOperation({
    operationId: 'deleteModel',
    summary: 'Remove a model with every version, or one inactive version (`?version=N`)',
    description:
      'Without `version`: unloads the model (requests already running finish first; with `--engine TRITON` it ' +
      'leaves Triton too) and removes its rows and folder. With it: that version only.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({
    description: 'The removed model, or with `?version=N` the removed version.',
    schema: { oneOf: [{ $ref: getSchemaPath(ModelSummaryDto) }, { $ref: getSchemaPath(ModelVersionDto) }] },
  })
  @ApiErrors({
    ...NO_SUCH_MODEL,
    404: 'No model, or no such version of it.',
    409: '`?version=N` names the active version.',
  })
  delete(@Param('name') name: string, @Query() query: VersionQueryDto): Promise<ModelSummaryDto | ModelVersionDto> {
    return query.version === undefined ? this.registry.delete(name) : this.registry.deleteVersion(name, query.version);
  }
}
