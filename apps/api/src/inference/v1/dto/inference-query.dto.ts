import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString } from 'class-validator';

/** What `?output=` may ask for: the result image only, the JSON only, or both as multipart (default). */
export const OUTPUT_MODES = ['all', 'image', 'json'] as const;

/** Query of `POST /v1/{segmentation,dextr3d,deepgrow,inference}`. */
export class InferenceQueryDto {
  /** The model to run, as `GET /v1/models` lists it. */
  @ApiProperty({ example: 'segmentation_ct_spleen' })
  @IsString()
  @IsNotEmpty()
  model!: string;

  /** Use the image of this session (`PUT /session/`) instead of a file part; 440 when unknown or expired. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  session_id?: string;

  /** `image`: reply with the result file only; `json`: the result JSON only; default: multipart with both. */
  @ApiPropertyOptional({ enum: OUTPUT_MODES })
  @IsOptional()
  @IsIn(OUTPUT_MODES)
  output?: (typeof OUTPUT_MODES)[number];
}
