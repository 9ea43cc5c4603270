import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * Query of `PUT /session/`. Both stay text here: the session service checks them and names the parameter at fault
 * (`query parameter 'expiry': expected a non-negative whole number of seconds, got '-1'`).
 */
export class CreateSessionQueryDto {
  @ApiPropertyOptional({ description: 'Seconds of inactivity before removal; 0 = server default' })
  @IsOptional()
  @IsString()
  expiry?: string;

  @ApiPropertyOptional({ description: 'Extension a DICOM series is stored with: `.nii.gz` (default) or `.nii`' })
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
  @ApiPropertyOptional({ description: 'true refreshes the last-access time' })
  @IsOptional()
  @IsString()
  update_ts?: string;
}
