import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { sendResult } from '../../common/http-reply';
import { ApiErrors } from '../../docs/api-errors.decorator';
import { ApiMultipartReply } from '../../docs/api-replies.decorator';
import type { ModelInfo } from '../../runtime/loaded-model';
import type { PendingUpload } from '../../upload/pending-upload';
import { ReceivesParts, Upload } from '../../upload/upload.interceptor';
import { InferenceQueryDto } from './dto/inference-query.dto';
import { MASK_TO_POLYGON_PARTS, POLYGONS_BY_SLICE } from './dto/mask-to-polygon-parts.dto';
import { MODEL_LIST, ModelInfoDto } from './dto/model-info.dto';
import { ModelsQueryDto } from './dto/models-query.dto';
import {
  FIX_POLYGON_DESCRIPTION,
  FIX_POLYGON_PARTS,
  FixPolygonParamsDto,
  FixPolygonResultDto,
} from './dto/fix-polygon-params.dto';
import { FixPolygonService } from './fix-polygon.service';
import { InferenceRoute } from './inference-route.decorator';
import { InferenceService, type InferenceKind } from './inference.service';
import { MaskToPolygonService } from './mask-to-polygon.service';
import { ModelsService } from './models.service';

/** The AIAA `/v1` API the official clients, Slicer and OHIF call. */
@ApiTags('v1')
@Controller('v1')
export class V1Controller {
  constructor(
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(InferenceService) private readonly inference: InferenceService,
    @Inject(MaskToPolygonService) private readonly polygons: MaskToPolygonService,
    @Inject(FixPolygonService) private readonly polygonEdits: FixPolygonService,
  ) {}

  @Get('models')
  @ApiOperation({
    operationId: 'listModels',
    summary: 'The loaded models: a list, or one model with ?model=',
    description:
      'Without `model`: every loaded model matching `label` and `type`. With `model`: that model alone, as an ' +
      'object (the C++ client expects one). Models served by Triton carry their state there.',
  })
  @ApiExtraModels(ModelInfoDto)
  @ApiOkResponse({
    description: 'A list of models, or one model with `?model=`.',
    schema: { oneOf: [MODEL_LIST, { $ref: getSchemaPath(ModelInfoDto) }] },
  })
  @ApiErrors(400, { 404: 'With `?model=`: no model by that name is loaded.' })
  listModels(@Query() query: ModelsQueryDto): Promise<ModelInfo | ModelInfo[]> {
    const { model, label, type } = query;
    return model !== undefined && model !== '' ? this.models.one(model) : this.models.list({ label, type });
  }

  @InferenceRoute('segmentation', {
    operationId: 'segment',
    summary: 'Run a segmentation model on an image',
    description:
      'Runs a `segmentation` (or `pipeline`) model; its result usually carries the extreme points of the mask ' +
      '(`points`), which clients feed to DEXTR3D.',
  })
  segmentation(
    @Query() query: InferenceQueryDto,
    @Upload() upload: PendingUpload,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.#infer('segmentation', query, upload, res);
  }

  @InferenceRoute('dextr3d', {
    operationId: 'dextr3d',
    summary: 'Annotate an object from its extreme points (DEXTR3D)',
    description: 'Runs an `annotation` model on `params.points`: at least six extreme points of the object.',
  })
  dextr3d(
    @Query() query: InferenceQueryDto,
    @Upload() upload: PendingUpload,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.#infer('dextr3d', query, upload, res);
  }

  @InferenceRoute('deepgrow', {
    operationId: 'deepgrow',
    summary: 'Grow a segmentation from foreground and background clicks (Deepgrow)',
    description:
      'Runs a `deepgrow` (or `pipeline`) model on `params.foreground` and `params.background` clicks; with a ' +
      'session, each click sends only the clicks.',
  })
  deepgrow(
    @Query() query: InferenceQueryDto,
    @Upload() upload: PendingUpload,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.#infer('deepgrow', query, upload, res);
  }

  @InferenceRoute('inference', {
    operationId: 'infer',
    summary: 'Run any model with any params',
    description:
      'Runs a model of any type (Slicer sends segmentation and deepgrow here too); the params go to the model as ' +
      'sent. A classification model answers plain JSON.',
  })
  run(@Query() query: InferenceQueryDto, @Upload() upload: PendingUpload, @Res() res: ServerResponse): Promise<void> {
    return this.#infer('inference', query, upload, res);
  }

  @Post('mask2polygon')
  @ApiOperation({
    operationId: 'maskToPolygon',
    summary: 'Outline a label mask slice by slice',
    description:
      'Answers the outer outline of every 8-connected component of non-zero voxels, slice by slice (k): ' +
      '`[slice][polygon][[x, y], …]` with x along the second voxel axis (j) and y along the first (i), as the ' +
      'official client reads them, counter-clockwise with y down; `/v1/fixpolygon` takes them back.',
  })
  @ReceivesParts(MASK_TO_POLYGON_PARTS)
  @ApiOkResponse({ description: 'The polygons of each slice.', schema: POLYGONS_BY_SLICE })
  @ApiErrors(400, 408, 413)
  async mask2polygon(@Upload() upload: PendingUpload, @Res() res: ServerResponse): Promise<void> {
    await sendResult(res, await this.polygons.outline(upload));
  }

  @Post('fixpolygon')
  @ApiOperation({
    operationId: 'fixPolygon',
    summary: 'Move one polygon vertex (dragging its neighbours) and answer the polygons and their mask',
    description: FIX_POLYGON_DESCRIPTION,
  })
  @ApiExtraModels(FixPolygonParamsDto)
  @ReceivesParts(FIX_POLYGON_PARTS)
  @ApiMultipartReply({
    description:
      'The edited polygons (`params`) and their mask (`image`: `result.png` in 2-D, `result.nii.gz` in 3-D).',
    params: FixPolygonResultDto,
    image: 'result.png',
  })
  @ApiErrors(400, 408, 413)
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
