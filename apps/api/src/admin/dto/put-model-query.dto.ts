import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/** Query of `PUT /admin/model/{name}`. */
export class PutModelQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: '`true`: run the model in-process (onnxruntime) even when the server runs `--engine TRITON`.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value,
  )
  @IsBoolean({ message: "native: expected 'true' or 'false'" })
  native?: boolean;
}
