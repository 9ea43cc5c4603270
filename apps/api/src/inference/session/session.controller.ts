import { Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ClientAddress } from '../../common/client-address';
import { ApiErrors } from '../../docs/api-errors.decorator';
import type { PendingUpload } from '../../upload/pending-upload';
import { ReceivesParts, Upload } from '../../upload/upload.interceptor';
import type { SessionInfo } from './session-store.service';
import type { CreatedSession } from './session.service';
import { CreatedSessionDto, SessionClosedDto, SessionInfoDto } from './dto/session-info.dto';
import { SESSION_PARTS } from './dto/session-parts.dto';
import { CreateSessionQueryDto, GetSessionQueryDto } from './dto/session-query.dto';
import { SessionService } from './session.service';

const SESSION_ID = { name: 'id', description: 'The `session_id` that `PUT /session/` answered.' };
const EXPIRED = { 440: 'Unknown or expired session.' };

/** AIAA sessions (no `/v1` prefix, as the clients call them). */
@ApiTags('session')
@Controller('session')
export class SessionController {
  constructor(@Inject(SessionService) private readonly sessions: SessionService) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createSession',
    summary: 'Upload an image once; later requests send only session_id',
    description:
      'One NIfTI file as `image` (or `datapoint`, `image0`), or a DICOM series as one file per slice `image0..N` ' +
      '(uncompressed transfer syntaxes, single-frame, greyscale): the server sorts the slices along their normal, ' +
      "applies the rescale, and stores the volume as NIfTI (`save_as`). MONAI Label's clients send the same as " +
      '`files` parts; their reply adds `session_info`. The clients call it as `PUT /session/`. With `--dicomweb`, a ' +
      'JSON body `{"dicom": {"series_uid": "<SeriesInstanceUID>", "study_uid": "<optional>"}}` (AIAA\'s DICOM ' +
      "reference; the node's address and AE title are not used) opens the session on that series of the PACS.",
  })
  @ReceivesParts(SESSION_PARTS)
  @ApiOkResponse({ type: CreatedSessionDto, description: 'The new session.' })
  @ApiErrors(400, 408, 413, 415, 429, {
    400: 'Bad input (a part, parameter or `dicom` reference field, named), or a DICOM reference without `--dicomweb`.',
    404: 'The referenced series is not on the PACS.',
    503:
      'The server holds as many sessions (or session bytes) as it may, or the PACS cannot be reached (named); ' +
      'try later.',
  })
  create(
    @Query() query: CreateSessionQueryDto,
    @Upload() upload: PendingUpload,
    @ClientAddress() client: string,
  ): Promise<CreatedSession> {
    return this.sessions.create(upload, client, query.expiry, query.save_as, query.uncompress);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getSession',
    summary: 'Session details',
    description: 'The session, its image and its times; 440 once it has expired.',
  })
  @ApiParam(SESSION_ID)
  @ApiOkResponse({ type: SessionInfoDto, description: 'The session.' })
  @ApiErrors(400, EXPIRED)
  get(@Param('id') id: string, @Query() query: GetSessionQueryDto): Promise<SessionInfo> {
    return this.sessions.get(id, query.update_ts === 'true' || query.update_ts === '1');
  }

  @Delete(':id')
  @ApiOperation({
    operationId: 'deleteSession',
    summary: 'Close a session and remove its files',
    description: 'Removes the session image now instead of at its expiry; 440 when it is already gone.',
  })
  @ApiParam(SESSION_ID)
  @ApiOkResponse({ type: SessionClosedDto, description: 'The session is closed.' })
  @ApiErrors(EXPIRED)
  async remove(@Param('id') id: string): Promise<{ session_id: string; deleted: true }> {
    await this.sessions.remove(id);
    return { session_id: id, deleted: true };
  }
}
