import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { OUTPUT_MODES } from '../../../inference/v1/dto/inference-query.dto';

/** The replies `POST /infer/{model}` gives: AIAA's, and MONAI Label's DICOM SEG. */
export const INFER_OUTPUTS = [...OUTPUT_MODES, 'dicom_seg'] as const;

/** Query of `POST /infer/{model}`. */
export class InferQueryDto {
  @ApiPropertyOptional({
    description:
      'A datastore image id (`PUT /datastore/?image=`), or with `--dicomweb` a SeriesInstanceUID of the DICOMweb ' +
      'server (retrieved once, then kept); unused when a `file` part or a session is given',
  })
  @IsOptional()
  @IsString()
  image?: string;

  @ApiPropertyOptional({
    description: 'Run on the image of this session (`PUT /session/`); 440 when unknown or expired',
  })
  @IsOptional()
  @IsString()
  session_id?: string;

  @ApiPropertyOptional({
    enum: INFER_OUTPUTS,
    description:
      '`image`: the result file alone (what OHIF asks for); `json`: the result JSON alone; `all` or absent: multipart ' +
      '`params` + `image` (what 3D Slicer and the Python client parse); `dicom_seg`: the result as a DICOM SEG ' +
      '(`application/dicom`) referencing the series, for a series of the DICOMweb server, segments named by ' +
      "`params.label_info` or the model's labels",
  })
  @IsOptional()
  @IsIn(INFER_OUTPUTS)
  output?: (typeof INFER_OUTPUTS)[number];
}
