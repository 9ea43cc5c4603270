import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AdminGuard, Caller, type AdminCaller } from './admin.guard';
import { ActivateVersionDto } from './dto/activate-version.dto';
import { ModelSummaryDto } from './dto/model-response.dto';
import { ModelVersionDto, ModelVersionsDto } from './dto/model-version.dto';
import { PutModelQueryDto } from './dto/put-model-query.dto';
import { VersionQueryDto } from './dto/version-query.dto';
import { ModelRegistryService } from './model-registry.service';
import { MODEL_PARTS } from './dto/model-parts.dto';
import type { PendingUpload } from '../upload/pending-upload';
import { ReceivesParts, Upload } from '../upload/upload.interceptor';

const NAME_PARAM = { name: 'name', description: 'model name: letters, digits, ., _, -; at most 64 characters' };

/** `/admin/model`: the model registry (AIAA's admin API) and its versions. Every success is 200, for PUT too. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiExtraModels(ModelSummaryDto, ModelVersionDto)
@ApiResponse({ status: 403, description: 'client not in --admin_hosts and no valid admin token' })
@UseGuards(AdminGuard)
@Controller('admin/model')
export class AdminController {
  constructor(@Inject(ModelRegistryService) private readonly registry: ModelRegistryService) {}

  @Put(':name')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Upload a new version of a model and make it active',
    description:
      'Multipart parts: `config` (config_aiaa.json) and `data` (the model file), `data` alone as a zip bundle ' +
      '(`config/config_aiaa.json` + `models/...`), or `config` alone for pipeline and plugin models. The upload ' +
      'becomes version N+1 in `models/<name>/<N+1>/`, validated and loaded before anything is committed; the active ' +
      'version serves until then. Inactive versions beyond `--keep_versions` are pruned, oldest first.',
  })
  @ApiParam(NAME_PARAM)
  @ReceivesParts(MODEL_PARTS)
  @ApiOkResponse({ type: ModelSummaryDto, description: 'the model, its new version active' })
  @ApiResponse({ status: 400, description: 'bad name, config, bundle or plugin; nothing changed' })
  @ApiResponse({ status: 409, description: 'the name differs only by case from a registered model' })
  @ApiResponse({ status: 413, description: 'upload over --max_upload_mb' })
  put(
    @Param('name') name: string,
    @Query() query: PutModelQueryDto,
    @Upload() upload: PendingUpload,
    @Caller() caller: AdminCaller | undefined,
  ): Promise<ModelSummaryDto> {
    return this.registry.put(name, upload, { native: query.native === true, ...(caller ? { caller } : {}) });
  }

  @Get()
  @ApiOperation({ summary: 'List registered models, each described by its active version' })
  @ApiOkResponse({ type: [ModelSummaryDto] })
  list(): Promise<ModelSummaryDto[]> {
    return this.registry.list();
  }

  @Get(':name')
  @ApiOperation({
    summary: "A model's config_aiaa.json, as stored",
    description:
      "The active version's config (or `?version=N`'s), with the registry's `active_version` and `versions` (the " +
      'kept version numbers) added.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ description: 'config_aiaa.json plus `active_version` and `versions`', schema: { type: 'object' } })
  @ApiResponse({ status: 404, description: 'no such model or version' })
  getConfig(@Param('name') name: string, @Query() query: VersionQueryDto): Promise<Record<string, unknown>> {
    return this.registry.getConfig(name, query.version);
  }

  @Get(':name/versions')
  @ApiOperation({ summary: "A model's kept versions, newest first, with the active one flagged" })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ type: ModelVersionsDto })
  @ApiResponse({ status: 404, description: 'no such model' })
  versions(@Param('name') name: string): Promise<ModelVersionsDto> {
    return this.registry.versions(name);
  }

  @Put(':name/active')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Make a kept version active',
    description:
      'Loads the version, then switches: new requests get it, requests in flight finish on the version they ' +
      'started with. Activating the active version changes nothing and reloads nothing.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ type: ModelSummaryDto, description: 'the model, the version active' })
  @ApiResponse({ status: 400, description: 'the body is not `{"version": N}`, or the version fails to load' })
  @ApiResponse({ status: 404, description: 'no such model or version' })
  activate(@Param('name') name: string, @Body() body: ActivateVersionDto): Promise<ModelSummaryDto> {
    return this.registry.activate(name, body.version);
  }

  @Delete(':name')
  @ApiOperation({
    summary: 'Remove a model with every version, or one inactive version (`?version=N`)',
    description: 'Without `version`: unloads the model and removes its rows and folder. With it: the version only.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({
    description: 'the removed model, or with `?version=N` the removed version',
    schema: { oneOf: [{ $ref: getSchemaPath(ModelSummaryDto) }, { $ref: getSchemaPath(ModelVersionDto) }] },
  })
  @ApiResponse({ status: 404, description: 'no such model or version' })
  @ApiResponse({ status: 409, description: '`?version=N` names the active version' })
  delete(@Param('name') name: string, @Query() query: VersionQueryDto): Promise<ModelSummaryDto | ModelVersionDto> {
    return query.version === undefined ? this.registry.delete(name) : this.registry.deleteVersion(name, query.version);
  }
}
