import type { ServerResponse } from 'node:http';
import { Controller, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { sendResult } from '../../common/http-reply';
import { ApiErrors } from '../../docs/api-errors.decorator';
import { ApiMultipartReply } from '../../docs/api-replies.decorator';
import type { PendingUpload } from '../../upload/pending-upload';
import { ReceivesParts, Upload } from '../../upload/upload.interceptor';
import { INFER_PARTS, INFER_RESULT } from './dto/infer-parts.dto';
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
    operationId: 'monaiLabelInfer',
    summary: 'Run a model on a datastore image, a session or an uploaded file',
    description:
      'Replies as MONAI Label: multipart `params` (JSON with `label_names`, `latencies`) then `image` with a bare ' +
      'file name whose suffix is the format (`result.nrrd`), unless `output` asks for the file or the JSON alone. ' +
      'On a series of the DICOMweb server, `output=dicom_seg` answers the result as a DICOM SEG and ' +
      '`params.save_seg: true` stores it on the PACS with STOW-RS (its UIDs in `params.dicom_seg`).',
  })
  @ApiParam({ name: 'model', example: 'spleen_ct_threshold', description: 'A model name, as `GET /info/` lists it.' })
  @ReceivesParts(INFER_PARTS)
  @ApiMultipartReply({
    description:
      'Multipart `params` + `image` by default; the file alone with `output=image`, the JSON with `json`, the DICOM ' +
      'SEG with `dicom_seg`.',
    params: INFER_RESULT,
    image: 'result.nrrd',
    outputModes: true,
    otherFiles: { 'application/dicom': 'With `output=dicom_seg`: the result as a DICOM SEG referencing the series.' },
  })
  @ApiErrors(408, 413, 415, 503, 504, {
    400: 'Bad params (a click outside the image, an unknown `result_extension`, …), named in the message.',
    404: 'No such model, datastore image or series of the DICOMweb server.',
    409: 'The PACS refused to store the DICOM SEG (`save_seg`); the message gives its reason.',
    413: 'Too large: a part over `--max_upload_mb`, an image over the size limit, or a series over `--dicomweb_max_series_mb`.',
    415: 'The PACS can send the series only in a compressed transfer syntax, named in the message.',
    440: 'Unknown or expired `session_id`.',
    503: 'Triton cannot serve now, or the DICOMweb server cannot be reached (named in the message); try again later.',
  })
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
