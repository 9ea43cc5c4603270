import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * Query of `PUT /session/`. Both stay text here: the session service checks them and names the parameter at fault
 * (`query parameter 'expiry': expected a non-negative whole number of seconds, got '-1'`).
 */
export class CreateSessionQueryDto {
  @ApiPropertyOptional({
    example: '3600',
    description: 'Seconds of inactivity before the session is removed; 0 or absent: the server default.',
  })
  @IsOptional()
  @IsString()
  expiry?: string;

  @ApiPropertyOptional({
    example: '.nii.gz',
    description: 'The extension a DICOM series is stored with: `.nii.gz` (default) or `.nii`.',
  })
  @IsOptional()
  @IsString()
  save_as?: string;

  @ApiPropertyOptional({
    description: "MONAI Label's archive unpacking: `false` (default); `true` is refused, archives are not unpacked",
  })
  @IsOptional()
  @IsString()
  uncompress?: string;
}

/** Query of `GET /session/{id}`. */
export class GetSessionQueryDto {
  @ApiPropertyOptional({
    example: 'true',
    description: '`true` (or `1`) counts this request as a use: the expiry starts again.',
  })
  @IsOptional()
  @IsString()
  update_ts?: string;
}
