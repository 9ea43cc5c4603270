import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SAMPLES_DIR, listFiles, sendFile } from './web-files';

const isVolume = (name: string): boolean => /\.nii(\.gz)?$/.test(name);

/** One shipped sample volume. */
export interface SampleInfo {
  readonly name: string;
  readonly bytes: number;
}

/** `/samples`: the sample scans of `samples/` (licences in its README), for the web page and quick tries. */
@ApiTags('server')
@Controller('samples')
export class SamplesController {
  @Get()
  @ApiOperation({ summary: 'The shipped sample volumes (NIfTI), by file name' })
  @ApiOkResponse({ description: '`[{name, bytes}]`, sorted by name' })
  async list(): Promise<SampleInfo[]> {
    const names = await listFiles(SAMPLES_DIR, isVolume);
    return Promise.all(
      names.map(async (name) => ({ name, bytes: (await fsp.stat(path.join(SAMPLES_DIR, name))).size })),
    );
  }

  @Get(':name')
  @ApiOperation({ summary: 'One sample volume, as its file' })
  @ApiParam({ name: 'name', description: 'a name from GET /samples, e.g. spleen_8_ct.nii.gz' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the NIfTI file' })
  @ApiResponse({ status: 404, description: 'no such sample' })
  file(@Param('name') name: string, @Res() res: ServerResponse): Promise<void> {
    return sendFile(res, SAMPLES_DIR, name, 'sample', isVolume);
  }
}
