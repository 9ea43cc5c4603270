import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { OUTPUT_MODES } from '../../../inference/v1/dto/inference-query.dto';

/** Query of `POST /infer/{model}`. */
export class InferQueryDto {
  @ApiPropertyOptional({
    description: 'A datastore image id (`PUT /datastore/?image=`); unused when a `file` part or a session is given',
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
    enum: OUTPUT_MODES,
    description:
      '`image`: the result file alone (what OHIF asks for); `json`: the result JSON alone; `all` or absent: multipart ' +
      '`params` + `image` (what 3D Slicer and the Python client parse)',
  })
  @IsOptional()
  @IsIn(OUTPUT_MODES)
  output?: (typeof OUTPUT_MODES)[number];
}
