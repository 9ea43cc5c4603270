import type { ServerResponse } from 'node:http';
import { Controller, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { sendResult } from '../../common/http-reply';
import type { PendingUpload } from '../../upload/pending-upload';
import { ReceivesParts, Upload } from '../../upload/upload.interceptor';
import { INFER_PARTS } from './dto/infer-parts.dto';
import { InferQueryDto } from './dto/infer-query.dto';
import { InferService } from './infer.service';

/** MONAI Label's `POST /infer/{model}` over the models of the registry. */
@ApiTags('monailabel')
@Controller('infer')
export class InferController {
  constructor(@Inject(InferService) private readonly infer: InferService) {}

  @Post(':model')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a model on a datastore image, a session or an uploaded file',
    description:
      'Replies as MONAI Label: multipart `params` (JSON with `label_names`, `latencies`) then `image` with a bare ' +
      'file name whose suffix is the format (`result.nrrd`), unless `output` asks for the file or the JSON alone.',
  })
  @ApiParam({ name: 'model', description: 'A model name, as `GET /info/` lists it' })
  @ReceivesParts(INFER_PARTS)
  @ApiProduces('multipart/form-data', 'application/octet-stream', 'application/json')
  @ApiResponse({ status: 200, description: 'multipart `params` + `image`; the file alone; or the JSON alone' })
  @ApiResponse({ status: 400, description: 'bad params (a click outside the image, an unknown result_extension, …)' })
  @ApiResponse({ status: 404, description: 'no such model, or no such datastore image' })
  @ApiResponse({ status: 440, description: 'unknown or expired session' })
  async run(
    @Param('model') model: string,
    @Query() query: InferQueryDto,
    @Upload() upload: PendingUpload,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await sendResult(res, await this.infer.run(model, query, upload), query.output);
  }
}
