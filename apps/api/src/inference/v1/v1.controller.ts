import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { sendResult } from '../../common/http-reply';
import type { ModelInfo } from '../../runtime/loaded-model';
import type { PendingUpload } from '../../upload/pending-upload';
import { ReceivesParts, Upload } from '../../upload/upload.interceptor';
import { InferenceQueryDto } from './dto/inference-query.dto';
import { MASK_TO_POLYGON_PARTS } from './dto/mask-to-polygon-parts.dto';
import { ModelsQueryDto } from './dto/models-query.dto';
import {
  FIX_POLYGON_DESCRIPTION,
  FIX_POLYGON_PARTS,
  FIX_POLYGON_REPLY,
  FixPolygonParamsDto,
  FixPolygonReplyParamsDto,
} from './dto/fix-polygon-params.dto';
import { FixPolygonService } from './fix-polygon.service';
import { InferenceRoute } from './inference-route.decorator';
import { InferenceService, type InferenceKind } from './inference.service';
import { MaskToPolygonService } from './mask-to-polygon.service';
import { ModelsService } from './models.service';

/** The AIAA `/v1` API the official clients, Slicer and OHIF call. */
@ApiTags('v1')
@ApiExtraModels(FixPolygonParamsDto, FixPolygonReplyParamsDto)
@Controller('v1')
export class V1Controller {
  constructor(
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(InferenceService) private readonly inference: InferenceService,
    @Inject(MaskToPolygonService) private readonly polygons: MaskToPolygonService,
    @Inject(FixPolygonService) private readonly polygonEdits: FixPolygonService,
  ) {}

  @Get('models')
  @ApiOperation({ summary: 'Loaded models: an array, or one object with ?model=' })
  @ApiResponse({
    status: 200,
    description:
      '`[{name, labels, description, version, type, ...}]`; models served by Triton add `triton: {state, reason?}`',
  })
  listModels(@Query() query: ModelsQueryDto): Promise<ModelInfo | ModelInfo[]> {
    const { model, label, type } = query;
    return model !== undefined && model !== '' ? this.models.one(model) : this.models.list({ label, type });
  }

  @InferenceRoute('segmentation', 'Run a segmentation model; params answer the extreme points of the mask')
  segmentation(
    @Query() query: InferenceQueryDto,
    @Upload() upload: PendingUpload,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.#infer('segmentation', query, upload, res);
  }

  @InferenceRoute('dextr3d', 'Run an annotation (DExtr3D) model on params.points: at least six extreme points')
  dextr3d(
    @Query() query: InferenceQueryDto,
    @Upload() upload: PendingUpload,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.#infer('dextr3d', query, upload, res);
  }

  @InferenceRoute('deepgrow', 'Run a deepgrow model on params.foreground / params.background clicks')
  deepgrow(
    @Query() query: InferenceQueryDto,
    @Upload() upload: PendingUpload,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.#infer('deepgrow', query, upload, res);
  }

  @InferenceRoute(
    'inference',
    'Run any model with arbitrary params (multipart reply, or plain JSON for JSON-only models)',
  )
  run(@Query() query: InferenceQueryDto, @Upload() upload: PendingUpload, @Res() res: ServerResponse): Promise<void> {
    return this.#infer('inference', query, upload, res);
  }

  @Post('mask2polygon')
  @ApiOperation({ summary: 'Outline a label mask slice by slice: [slice][polygon][[x, y], ...]' })
  @ReceivesParts(MASK_TO_POLYGON_PARTS)
  @ApiResponse({
    status: 200,
    description:
      'JSON: a list per slice (k) of polygons, each a ring of [x, y] with x along the second voxel axis (j) and y ' +
      'along the first (i), as the official client reads them; counter-clockwise with y down',
  })
  async mask2polygon(@Upload() upload: PendingUpload, @Res() res: ServerResponse): Promise<void> {
    await sendResult(res, await this.polygons.outline(upload));
  }

  @Post('fixpolygon')
  @ApiOperation({
    summary: 'Move one polygon vertex (dragging its neighbours) and answer the polygons and their mask',
    description: FIX_POLYGON_DESCRIPTION,
  })
  @ReceivesParts(FIX_POLYGON_PARTS)
  @ApiProduces('multipart/form-data')
  @ApiResponse(FIX_POLYGON_REPLY)
  async fixpolygon(@Upload() upload: PendingUpload, @Res() res: ServerResponse): Promise<void> {
    await sendResult(res, await this.polygonEdits.fix(upload));
  }

  async #infer(
    kind: InferenceKind,
    query: InferenceQueryDto,
    upload: PendingUpload,
    res: ServerResponse,
  ): Promise<void> {
    await sendResult(res, await this.inference.run(kind, query, upload), query.output);
  }
}
