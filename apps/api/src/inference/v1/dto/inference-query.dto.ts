import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString } from 'class-validator';

/** What `?output=` may ask for: the result image only, the JSON only, or both as multipart (default). */
export const OUTPUT_MODES = ['all', 'image', 'json'] as const;

/**
 * Query of `POST /v1/{segmentation,dextr3d,deepgrow,inference}`. Descriptions sit in the decorators: the Swagger CLI
 * plugin that would read comments does not run under the SWC loader.
 */
export class InferenceQueryDto {
  @ApiProperty({ example: 'spleen_ct_threshold', description: 'The model to run, as `GET /v1/models` lists it.' })
  @IsString()
  @IsNotEmpty()
  model!: string;

  @ApiPropertyOptional({
    example: '8c5f1e0e-3a8f-4c55-9e0b-2f1b8f0e6a11',
    description: 'Use the image of this session (`PUT /session/`) instead of a file part; 440 when unknown or expired.',
  })
  @IsOptional()
  @IsString()
  session_id?: string;

  @ApiPropertyOptional({
    enum: OUTPUT_MODES,
    description:
      '`image`: reply with the result file only; `json`: the result JSON only; default: multipart with both.',
  })
  @IsOptional()
  @IsIn(OUTPUT_MODES)
  output?: (typeof OUTPUT_MODES)[number];
}
