import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';
import { Controller, Get, Param, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiSchema,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiErrors } from '../docs/api-errors.decorator';
import { ApiFileReply } from '../docs/api-replies.decorator';
import { namedSchema } from '../docs/named-schema';
import { SAMPLES_DIR, listFiles, sendFile } from './web-files';

const isVolume = (name: string): boolean => /\.nii(\.gz)?$/.test(name);

/** One shipped sample volume. */
@ApiSchema({ name: 'Sample', description: 'A sample volume shipped with the server.' })
export class SampleInfo {
  @ApiProperty({ example: 'spleen_8_ct.nii.gz', description: 'The file name, as `GET /samples/{name}` takes it.' })
  readonly name!: string;

  @ApiProperty({ example: 1094868, description: 'The file size in bytes.' })
  readonly bytes!: number;
}

const SAMPLE_LIST = namedSchema('SampleList', {
  type: 'array',
  items: { $ref: getSchemaPath(SampleInfo) },
  description: 'The sample volumes, sorted by name.',
});

/** `/samples`: the sample scans of `samples/` (licences in its README), for the web page and quick tries. */
@ApiTags('server')
@ApiExtraModels(SampleInfo)
@Controller('samples')
export class SamplesController {
  @Get()
  @ApiOperation({
    operationId: 'listSamples',
    summary: 'The shipped sample volumes',
    description: 'The NIfTI files of `samples/` (their licences are in its README), for the page and quick tries.',
  })
  @ApiOkResponse({ schema: SAMPLE_LIST, description: 'The sample volumes, sorted by name.' })
  @ApiErrors()
  async list(): Promise<SampleInfo[]> {
    const names = await listFiles(SAMPLES_DIR, isVolume);
    return Promise.all(
      names.map(async (name) => ({ name, bytes: (await fsp.stat(path.join(SAMPLES_DIR, name))).size })),
    );
  }

  @Get(':name')
  @ApiOperation({
    operationId: 'getSample',
    summary: 'One sample volume, as its file',
    description: 'The NIfTI file as shipped (`.nii.gz` files gzipped), to send on to an inference route.',
  })
  @ApiParam({ name: 'name', example: 'spleen_8_ct.nii.gz', description: 'A name that `GET /samples` lists.' })
  @ApiFileReply('The NIfTI file.')
  @ApiErrors({ 404: 'No sample by that name.' })
  file(@Param('name') name: string, @Res() res: ServerResponse): Promise<void> {
    return sendFile(res, SAMPLES_DIR, name, 'sample', isVolume);
  }
}
