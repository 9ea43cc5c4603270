import { Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { PendingUpload } from '../../upload/pending-upload';
import { ReceivesParts, Upload } from '../../upload/upload.interceptor';
import type { SessionInfo } from './session-store.service';
import type { CreatedSession } from './session.service';
import { SESSION_PARTS } from './dto/session-parts.dto';
import { CreateSessionQueryDto, GetSessionQueryDto } from './dto/session-query.dto';
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
      "applies the rescale, and stores the volume as NIfTI (`save_as`). MONAI Label's clients send the same as " +
      '`files` parts; their reply adds `session_info`. With `--dicomweb`, a JSON body ' +
      '`{"dicom": {"series_uid": "<SeriesInstanceUID>", "study_uid": "<optional>"}}` (AIAA\'s DICOM reference; the ' +
      "node's address and AE title are not used) opens the session on that series of the PACS.",
  })
  @ReceivesParts(SESSION_PARTS)
  @ApiResponse({ status: 200, description: '`{session_id, ...}`, plus `session_info` for the `files` form' })
  @ApiResponse({ status: 400, description: 'a bad part, parameter or DICOM reference (named), or no `--dicomweb`' })
  @ApiResponse({ status: 404, description: 'the referenced series is not on the PACS' })
  @ApiResponse({ status: 503, description: 'the PACS cannot be reached (named), or the session limits are reached' })
  create(@Query() query: CreateSessionQueryDto, @Upload() upload: PendingUpload): Promise<CreatedSession> {
    return this.sessions.create(upload, query.expiry, query.save_as, query.uncompress);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Session details; 440 when unknown or expired' })
  @ApiResponse({ status: 440, description: 'unknown or expired session' })
  get(@Param('id') id: string, @Query() query: GetSessionQueryDto): SessionInfo {
    return this.sessions.get(id, query.update_ts === 'true' || query.update_ts === '1');
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Close a session and remove its files' })
  @ApiResponse({ status: 440, description: 'unknown or expired session' })
  async remove(@Param('id') id: string): Promise<{ session_id: string; deleted: true }> {
    await this.sessions.remove(id);
    return { session_id: id, deleted: true };
  }
}
