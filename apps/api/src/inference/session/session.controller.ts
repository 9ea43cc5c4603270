import { Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { InvalidInputError } from '@aiaa/core';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { imageParts } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';
import { ReceivesParts, Upload } from '../../upload/upload.interceptor';
import type { SessionInfo } from './session-store.service';
import { SessionService } from './session.service';

/**
 * The parts of `PUT /session/`: one image, or the slices of a DICOM series. A JSON `{"dicom": {...}}` body (fetching
 * the series from a DICOM node) is refused saying so.
 */
const SESSION_PARTS = imageParts({
  params: 'JSON text, `{}`',
  files: {
    image: 'A NIfTI image, or one DICOM file',
    image0: 'First DICOM slice; image1, image2... follow',
  },
  series: true,
  notMultipart: (body) =>
    typeof body === 'object' && body !== null && 'dicom' in body
      ? new InvalidInputError(
          `request body 'dicom': fetching a series from a DICOM node is not supported; upload the image as file part 'image' or the series' files as 'image0'..'imageN'`,
        )
      : undefined,
});

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
  @ReceivesParts(SESSION_PARTS)
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
    @Upload() upload: PendingUpload,
    @Query('expiry') expiry?: string,
    @Query('save_as') saveAs?: string,
  ): Promise<SessionInfo> {
    return this.sessions.create(upload, expiry, saveAs);
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
