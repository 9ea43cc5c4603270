import type { ServerResponse } from 'node:http';
import { Controller, Delete, Get, Head, HttpCode, Inject, Put, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { sendResult } from '../../common/http-reply';
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
  PutImageReplyDto,
  SaveLabelReplyDto,
} from './dto/datastore-replies.dto';
import { DatastoreService } from './datastore.service';
import { sendImage } from './send-image';

const NOT_FOUND = { status: 404, description: 'no such image or label' } as const;
const BAD_ID = { status: 400, description: "an id or tag that is not a safe name (e.g. holds '..' or '/')" } as const;
const PACS_UNAVAILABLE = { status: 503, description: 'the DICOMweb server cannot be reached (named)' } as const;
const FILE_REPLY = {
  status: 200,
  description: 'The file, `Content-Disposition: attachment; filename="<id><suffix>"` (the suffix tells its format)',
} as const;

/** MONAI Label's `/datastore`: the images annotators work on and their labels. Every success is 200. */
@ApiTags('monailabel')
@ApiExtraModels(DatastoreStatsDto, DatastoreListingDto)
@Controller('datastore')
export class DatastoreController {
  constructor(@Inject(DatastoreService) private readonly datastore: DatastoreService) {}

  @Get()
  @ApiOperation({ summary: 'The datastore: counts (default), every object (`output=all`) or training pairs' })
  @ApiOkResponse({
    description: '`stats`: the counts; `all`: the listing; `train`: `[{image, label}]` paths of final labels',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(DatastoreStatsDto) },
        { $ref: getSchemaPath(DatastoreListingDto) },
        {
          type: 'array',
          items: { type: 'object', properties: { image: { type: 'string' }, label: { type: 'string' } } },
        },
      ],
    },
  })
  list(@Query() query: DatastoreListQueryDto): Promise<unknown> {
    if (query.output === 'all') {
      return this.datastore.describe();
    }
    return query.output === 'train' ? this.datastore.trainingList() : this.datastore.stats();
  }

  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: 'Store an image under `?image=<id>` (the route 3D Slicer and the Python client call)' })
  @ReceivesParts(IMAGE_PARTS)
  @ApiOkResponse({ type: PutImageReplyDto })
  @ApiResponse(BAD_ID)
  addImageLegacy(@Query() query: PutImageQueryDto, @Upload() upload: PendingUpload): Promise<PutImageReplyDto> {
    return this.datastore.addImage(query.image, upload);
  }

  @Put('image')
  @HttpCode(200)
  @ApiOperation({ summary: 'Store an image under `?image=<id>`, keeping the suffix of the upload' })
  @ReceivesParts(IMAGE_PARTS)
  @ApiOkResponse({ type: PutImageReplyDto })
  @ApiResponse(BAD_ID)
  addImage(@Query() query: PutImageQueryDto, @Upload() upload: PendingUpload): Promise<PutImageReplyDto> {
    return this.datastore.addImage(query.image, upload);
  }

  @Get('image')
  @ApiOperation({
    summary: 'Download an image',
    description: 'A stored file as it is; a series of the DICOMweb server (`--dicomweb`) as `<SeriesInstanceUID>.nii`',
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse(FILE_REPLY)
  @ApiResponse(NOT_FOUND)
  @ApiResponse(PACS_UNAVAILABLE)
  async downloadImage(@Query() query: ImageQueryDto, @Res() res: ServerResponse): Promise<void> {
    await sendImage(res, await this.datastore.imageToSend(query.image));
  }

  @Head('image')
  @ApiOperation({ summary: 'Whether an image is stored (with `check_sum`: with that content)' })
  @ApiOkResponse({ description: '`{}`' })
  @ApiResponse(NOT_FOUND)
  hasImage(@Query() query: ImageQueryDto): Promise<Record<string, never>> {
    return this.datastore.checkImage(query.image, query.check_sum);
  }

  @Delete()
  @ApiOperation({ summary: 'Remove an image and its labels (`?id=`)' })
  @ApiOkResponse({ description: '`{}`' })
  @ApiResponse(NOT_FOUND)
  removeImageLegacy(@Query() query: DeleteImageQueryDto): Promise<Record<string, never>> {
    return this.datastore.removeImage(query.id);
  }

  @Delete('image')
  @ApiOperation({ summary: 'Remove an image and its labels (`?id=`)' })
  @ApiOkResponse({ description: '`{}`' })
  @ApiResponse(NOT_FOUND)
  removeImage(@Query() query: DeleteImageQueryDto): Promise<Record<string, never>> {
    return this.datastore.removeImage(query.id);
  }

  @Put('label')
  @HttpCode(200)
  @ApiOperation({ summary: 'Save a label of an image under a tag (`final` by default)' })
  @ReceivesParts(LABEL_PARTS)
  @ApiOkResponse({ type: SaveLabelReplyDto })
  @ApiResponse(BAD_ID)
  @ApiResponse(NOT_FOUND)
  saveLabel(@Query() query: SaveLabelQueryDto, @Upload() upload: PendingUpload): Promise<Record<string, unknown>> {
    return this.datastore.saveLabel(query.image, query.tag, upload);
  }

  @Get('label')
  @ApiOperation({ summary: 'Download a label (`?label=<image id>&tag=`)' })
  @ApiProduces('application/octet-stream')
  @ApiResponse(FILE_REPLY)
  @ApiResponse(NOT_FOUND)
  async downloadLabel(@Query() query: LabelQueryDto, @Res() res: ServerResponse): Promise<void> {
    await sendResult(res, await this.datastore.labelFile(query.label, query.tag), 'image');
  }

  @Head('label')
  @ApiOperation({ summary: 'Whether an image has a label under a tag' })
  @ApiOkResponse({ description: '`{}`' })
  @ApiResponse(NOT_FOUND)
  hasLabel(@Query() query: HeadLabelQueryDto): Promise<Record<string, never>> {
    return this.datastore.checkLabel(query.image, query.tag);
  }

  @Delete('label')
  @ApiOperation({ summary: 'Remove the label of an image under a tag (every label without `tag`)' })
  @ApiOkResponse({ description: '`{}`' })
  @ApiResponse(NOT_FOUND)
  removeLabel(@Query() query: DeleteLabelQueryDto): Promise<Record<string, never>> {
    return this.datastore.removeLabel(query.id, query.tag);
  }
}
