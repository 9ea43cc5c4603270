import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { ApiErrors } from '../docs/api-errors.decorator';
import { AdminGuard } from './admin.guard';

/**
 * Puts a route (or a whole controller) behind {@link AdminGuard} and documents it so: the bearer scheme, or no
 * credentials at all from `--admin_hosts` (an empty security requirement), and the 403 the guard answers.
 */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(AdminGuard),
    ApiBearerAuth(),
    ApiSecurity({}),
    ApiErrors({
      403: 'The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token.',
    }),
  );
}
