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
      'file name whose suffix is the format (`result.nrrd`), unless `output` asks for the file or the JSON alone. ' +
      'On a series of the DICOMweb server, `output=dicom_seg` answers the result as a DICOM SEG and ' +
      '`params.save_seg: true` stores it on the PACS with STOW-RS (its UIDs in `params.dicom_seg`).',
  })
  @ApiParam({ name: 'model', description: 'A model name, as `GET /info/` lists it' })
  @ReceivesParts(INFER_PARTS)
  @ApiProduces('multipart/form-data', 'application/octet-stream', 'application/json', 'application/dicom')
  @ApiResponse({
    status: 200,
    description: 'multipart `params` + `image`; the file alone; the JSON alone; or the DICOM SEG (`output=dicom_seg`)',
  })
  @ApiResponse({ status: 400, description: 'bad params (a click outside the image, an unknown result_extension, …)' })
  @ApiResponse({ status: 404, description: 'no such model, datastore image or series' })
  @ApiResponse({ status: 413, description: 'the series is larger than `--dicomweb_max_series_mb`' })
  @ApiResponse({ status: 415, description: 'the PACS can send the series only compressed (the syntax is named)' })
  @ApiResponse({ status: 440, description: 'unknown or expired session' })
  @ApiResponse({ status: 503, description: 'the DICOMweb server cannot be reached (named in the message)' })
  async run(
    @Param('model') model: string,
    @Query() query: InferQueryDto,
    @Upload() upload: PendingUpload,
    @Res() res: ServerResponse,
  ): Promise<void> {
    const output = query.output === 'dicom_seg' ? 'image' : query.output;
    await sendResult(res, await this.infer.run(model, query, upload), output);
  }
}
