import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { clientGoneSignal } from '../../upload/request-scope';
import type { SessionInfo } from './session-store.service';
import { SessionService } from './session.service';

/** AIAA sessions (no `/v1` prefix, as the clients call them). */
@ApiTags('session')
@Controller('session')
export class SessionController {
  constructor(@Inject(SessionService) private readonly sessions: SessionService) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Upload an image once; later requests send only session_id',
    description:
      'One NIfTI file as `image` (or `datapoint`, `image0`), or a DICOM series as one file per slice `image0..N` ' +
      '(uncompressed transfer syntaxes, single-frame, greyscale): the server sorts the slices along their normal, ' +
      'applies the rescale, and stores the volume as NIfTI (`save_as`).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        params: { type: 'string', description: 'JSON text, `{}`' },
        image: { type: 'string', format: 'binary', description: 'A NIfTI image, or one DICOM file' },
        image0: { type: 'string', format: 'binary', description: 'First DICOM slice; image1, image2... follow' },
      },
    },
  })
  @ApiQuery({
    name: 'expiry',
    required: false,
    description: 'Seconds of inactivity before removal; 0 = server default',
  })
  @ApiQuery({
    name: 'save_as',
    required: false,
    description: 'Extension a DICOM series is stored with: `.nii.gz` (default) or `.nii`',
  })
  @ApiResponse({ status: 200, description: '`{session_id, ...}`' })
  create(
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
    @Query('expiry') expiry?: string,
    @Query('save_as') saveAs?: string,
  ): Promise<SessionInfo> {
    return this.sessions.create(req, expiry, clientGoneSignal(res), saveAs);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Session details; 440 when unknown or expired' })
  @ApiQuery({ name: 'update_ts', required: false, description: 'true refreshes the last-access time' })
  @ApiResponse({ status: 440, description: 'unknown or expired session' })
  get(@Param('id') id: string, @Query('update_ts') updateTs?: string): SessionInfo {
    return this.sessions.get(id, updateTs === 'true' || updateTs === '1');
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Close a session and remove its files' })
  @ApiResponse({ status: 440, description: 'unknown or expired session' })
  async remove(@Param('id') id: string): Promise<{ session_id: string; deleted: true }> {
    await this.sessions.remove(id);
    return { session_id: id, deleted: true };
  }
}
