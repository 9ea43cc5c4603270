import type { ServerResponse } from 'node:http';
import { Controller, Delete, Get, Head, HttpCode, Inject, Put, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { sendResult } from '../../common/http-reply';
import { ApiErrors } from '../../docs/api-errors.decorator';
import { ApiFileReply } from '../../docs/api-replies.decorator';
import type { PendingUpload } from '../../upload/pending-upload';
import { ReceivesParts, Upload } from '../../upload/upload.interceptor';
import { IMAGE_PARTS, LABEL_PARTS } from './dto/datastore-parts.dto';
import {
  DatastoreListQueryDto,
  DeleteImageQueryDto,
  DeleteLabelQueryDto,
  HeadLabelQueryDto,
  ImageQueryDto,
  LabelQueryDto,
  PutImageQueryDto,
  SaveLabelQueryDto,
} from './dto/datastore-query.dto';
import {
  DatastoreListingDto,
  DatastoreStatsDto,
  EMPTY_REPLY,
  PutImageReplyDto,
  SaveLabelReplyDto,
  TRAINING_PAIRS,
} from './dto/datastore-replies.dto';
import { DatastoreService } from './datastore.service';
import { sendImage } from './send-image';

const NOT_FOUND = { 404: 'No such image or label.' };
const BAD_ID = { 400: "An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message." };
const PACS_UNAVAILABLE = { 503: 'The DICOMweb server (`--dicomweb`) cannot be reached; the message names it.' };
const FILE_REPLY =
  'The file, `Content-Disposition: attachment; filename="<id><suffix>"` (the suffix tells its format).';
const DONE = { schema: EMPTY_REPLY, description: '`{}`.' };
/** A HEAD reply: the status alone (its body, `{}`, is not sent). */
const EXISTS = { status: 200, description: 'It exists (HEAD: no body).' };

/**
 * MONAI Label's `/datastore`: the images annotators work on and their labels. Every success is 200. Each HEAD route is
 * declared before its GET twin: Express answers HEAD with the first GET route of the path otherwise.
 */
@ApiTags('monailabel')
@ApiExtraModels(DatastoreStatsDto, DatastoreListingDto)
@Controller('datastore')
export class DatastoreController {
  constructor(@Inject(DatastoreService) private readonly datastore: DatastoreService) {}

  @Get()
  @ApiOperation({
    operationId: 'datastore',
    summary: 'The datastore: counts, every object, or training pairs',
    description: 'The counts (default), every image with its labels (`output=all`), or the final pairs (`train`).',
  })
  @ApiOkResponse({
    description: '`stats`: the counts; `all`: the listing; `train`: `[{image, label}]` paths of final labels.',
    schema: {
      oneOf: [{ $ref: getSchemaPath(DatastoreStatsDto) }, { $ref: getSchemaPath(DatastoreListingDto) }, TRAINING_PAIRS],
    },
  })
  @ApiErrors(400, PACS_UNAVAILABLE)
  list(@Query() query: DatastoreListQueryDto): Promise<unknown> {
    if (query.output === 'all') {
      return this.datastore.describe();
    }
    return query.output === 'train' ? this.datastore.trainingList() : this.datastore.stats();
  }

  @Put()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putImageAtRoot',
    summary: 'Store an image under `?image=<id>` (3D Slicer, the Python client)',
    description: 'The route 3D Slicer and the Python client call; the same as `PUT /datastore/image`.',
  })
  @ReceivesParts(IMAGE_PARTS)
  @ApiOkResponse({ type: PutImageReplyDto, description: 'The stored image.' })
  @ApiErrors(408, 413, BAD_ID)
  addImageLegacy(@Query() query: PutImageQueryDto, @Upload() upload: PendingUpload): Promise<PutImageReplyDto> {
    return this.datastore.addImage(query.image, upload);
  }

  @Put('image')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putImage',
    summary: 'Store an image under `?image=<id>`',
    description: 'Keeps the suffix of the upload (`.nii.gz`, `.nii`), which tells its format.',
  })
  @ReceivesParts(IMAGE_PARTS)
  @ApiOkResponse({ type: PutImageReplyDto, description: 'The stored image.' })
  @ApiErrors(408, 413, BAD_ID)
  addImage(@Query() query: PutImageQueryDto, @Upload() upload: PendingUpload): Promise<PutImageReplyDto> {
    return this.datastore.addImage(query.image, upload);
  }

  @Head('image')
  @ApiOperation({
    operationId: 'hasImage',
    summary: 'Whether an image is stored',
    description: 'With `check_sum`: whether it is stored with that content.',
  })
  @ApiResponse(EXISTS)
  @ApiErrors(BAD_ID, NOT_FOUND, PACS_UNAVAILABLE)
  hasImage(@Query() query: ImageQueryDto): Promise<Record<string, never>> {
    return this.datastore.checkImage(query.image, query.check_sum);
  }

  @Get('image')
  @ApiOperation({
    operationId: 'getImage',
    summary: 'Download an image',
    description:
      'A stored file as it is; a series of the DICOMweb server (`--dicomweb`) as `<SeriesInstanceUID>.nii`, fetched ' +
      'through the series cache.',
  })
  @ApiFileReply(FILE_REPLY)
  @ApiErrors(BAD_ID, NOT_FOUND, 413, 415, PACS_UNAVAILABLE)
  async downloadImage(@Query() query: ImageQueryDto, @Res() res: ServerResponse): Promise<void> {
    await sendImage(res, await this.datastore.imageToSend(query.image));
  }

  @Delete()
  @ApiOperation({
    operationId: 'deleteImageAtRoot',
    summary: 'Remove an image and its labels (`?id=`)',
    description: 'The route the Python client calls; the same as `DELETE /datastore/image`.',
  })
  @ApiOkResponse(DONE)
  @ApiErrors(BAD_ID, NOT_FOUND)
  removeImageLegacy(@Query() query: DeleteImageQueryDto): Promise<Record<string, never>> {
    return this.datastore.removeImage(query.id);
  }

  @Delete('image')
  @ApiOperation({
    operationId: 'deleteImage',
    summary: 'Remove an image and its labels (`?id=`)',
    description: 'Its files and its rows go together.',
  })
  @ApiOkResponse(DONE)
  @ApiErrors(BAD_ID, NOT_FOUND)
  removeImage(@Query() query: DeleteImageQueryDto): Promise<Record<string, never>> {
    return this.datastore.removeImage(query.id);
  }

  @Put('label')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'putLabel',
    summary: 'Save a label of an image under a tag',
    description: 'Under `tag` (`final` by default); a label on another grid than its image is refused.',
  })
  @ReceivesParts(LABEL_PARTS)
  @ApiOkResponse({ type: SaveLabelReplyDto, description: 'The stored label.' })
  @ApiErrors(408, 413, BAD_ID, NOT_FOUND)
  saveLabel(@Query() query: SaveLabelQueryDto, @Upload() upload: PendingUpload): Promise<Record<string, unknown>> {
    return this.datastore.saveLabel(query.image, query.tag, upload);
  }

  @Head('label')
  @ApiOperation({
    operationId: 'hasLabel',
    summary: 'Whether an image has a label under a tag',
    description: 'Under `tag` (`final` by default).',
  })
  @ApiResponse(EXISTS)
  @ApiErrors(BAD_ID, NOT_FOUND)
  hasLabel(@Query() query: HeadLabelQueryDto): Promise<Record<string, never>> {
    return this.datastore.checkLabel(query.image, query.tag);
  }

  @Get('label')
  @ApiOperation({
    operationId: 'getLabel',
    summary: 'Download a label (`?label=<image id>&tag=`)',
    description: 'The file as stored.',
  })
  @ApiFileReply(FILE_REPLY)
  @ApiErrors(BAD_ID, NOT_FOUND)
  async downloadLabel(@Query() query: LabelQueryDto, @Res() res: ServerResponse): Promise<void> {
    await sendResult(res, await this.datastore.labelFile(query.label, query.tag), 'image');
  }

  @Delete('label')
  @ApiOperation({
    operationId: 'deleteLabel',
    summary: 'Remove the label of an image under a tag',
    description: 'Every label of the image without `tag`.',
  })
  @ApiOkResponse(DONE)
  @ApiErrors(BAD_ID, NOT_FOUND)
  removeLabel(@Query() query: DeleteLabelQueryDto): Promise<Record<string, never>> {
    return this.datastore.removeLabel(query.id, query.tag);
  }
}
