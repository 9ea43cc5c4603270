import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { ModelInfo } from '../../runtime/loaded-model';
import { InferenceQueryDto } from './dto/inference-query.dto';
import { FixPolygonParamsDto, FixPolygonReplyParamsDto } from './dto/fix-polygon-params.dto';
import { FIX_POLYGON_BODY, FIX_POLYGON_DESCRIPTION, FIX_POLYGON_REPLY } from './fix-polygon.docs';
import { FixPolygonService } from './fix-polygon.service';
import { InferenceRoute } from './inference-route.decorator';
import { InferenceService } from './inference.service';
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
  @ApiQuery({ name: 'model', required: false, description: 'One model by name (answers an object, 404 if unknown)' })
  @ApiQuery({ name: 'label', required: false, description: 'Case-insensitive label: exact matches, else substrings' })
  @ApiQuery({
    name: 'type',
    required: false,
    description: 'segmentation | annotation | classification | deepgrow | ...',
  })
  @ApiResponse({
    status: 200,
    description:
      '`[{name, labels, description, version, type, ...}]`; models served by Triton add `triton: {state, reason?}`',
  })
  listModels(
    @Query('model') model?: string,
    @Query('label') label?: string,
    @Query('type') type?: string,
  ): Promise<ModelInfo | ModelInfo[]> {
    return model !== undefined && model !== '' ? this.models.one(model) : this.models.list({ label, type });
  }

  @InferenceRoute('segmentation', 'Run a segmentation model; params answer the extreme points of the mask')
  segmentation(
    @Query() query: InferenceQueryDto,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.inference.handle('segmentation', query, req, res);
  }

  @InferenceRoute('dextr3d', 'Run an annotation (DExtr3D) model on params.points: at least six extreme points')
  dextr3d(@Query() query: InferenceQueryDto, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.inference.handle('dextr3d', query, req, res);
  }

  @InferenceRoute('deepgrow', 'Run a deepgrow model on params.foreground / params.background clicks')
  deepgrow(@Query() query: InferenceQueryDto, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.inference.handle('deepgrow', query, req, res);
  }

  @InferenceRoute(
    'inference',
    'Run any model with arbitrary params (multipart reply, or plain JSON for JSON-only models)',
  )
  run(@Query() query: InferenceQueryDto, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.inference.handle('inference', query, req, res);
  }

  @Post('mask2polygon')
  @ApiOperation({ summary: 'Outline a label mask slice by slice: [slice][polygon][[x, y], ...]' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        params: { type: 'string', description: 'JSON text: `{"more_points": N}`' },
        datapoint: { type: 'string', format: 'binary', description: 'The mask (NIfTI)' },
      },
    },
  })
  @ApiResponse({ status: 200, description: 'JSON: a list per slice of polygons, each a list of [x, y]' })
  mask2polygon(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.polygons.handle(req, res);
  }

  @Post('fixpolygon')
  @ApiOperation({
    summary: 'Move one polygon vertex (dragging its neighbours) and answer the polygons and their mask',
    description: FIX_POLYGON_DESCRIPTION,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FIX_POLYGON_BODY)
  @ApiProduces('multipart/form-data')
  @ApiResponse(FIX_POLYGON_REPLY)
  fixpolygon(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.polygonEdits.handle(req, res);
  }
}
