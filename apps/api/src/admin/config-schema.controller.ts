import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CATALOGUE, TransformRegistry } from '@aiaa/core';
import { configJsonSchema } from '@aiaa/inference';
import { ApiErrors } from '../docs/api-errors.decorator';
import { AdminOnly } from './admin-only.decorator';

/** `GET /admin/config-schema`: the JSON Schema of the `config` part of a model upload. */
@ApiTags('admin')
@AdminOnly()
@Controller('admin/config-schema')
export class ConfigSchemaController {
  // Built once: it is generated from the catalogue, which does not change while the server runs.
  readonly #schema = configJsonSchema(new TransformRegistry(CATALOGUE));

  @Get()
  @ApiOperation({
    summary: 'The JSON Schema (draft 2020-12) of config_aiaa.json',
    description:
      'Generated from the schemas that validate uploads: every key of the config, every transform of the ' +
      'catalogue by name and alias with its arguments, types and defaults; a key not listed is refused at upload. ' +
      'Sections that take any key (inference args, meta_data, Triton configuration, plugin args) say so. ' +
      'The transforms are also described in docs/transforms.md.',
  })
  @ApiOkResponse({ description: 'a JSON Schema', schema: { type: 'object', additionalProperties: true } })
  @ApiErrors()
  get(): Record<string, unknown> {
    return this.#schema;
  }
}
