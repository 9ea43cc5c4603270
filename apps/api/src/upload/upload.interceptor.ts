import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Inject,
  Injectable,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
  createParamDecorator,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { currentRequest } from '../logging/request-context';
import { MetricsService } from '../metrics/metrics.service';
import { PendingUpload } from './pending-upload';
import { RequestSlots } from './request-slots';
import { UploadSpace } from './upload-space';
import type { UploadPolicy } from './upload-policy';

const POLICY = Symbol('upload policy');
const PENDING = Symbol('pending upload');

type RequestWithUpload = IncomingMessage & { [PENDING]?: PendingUpload };

/**
 * Serves every multipart route: gives the handler a {@link PendingUpload} under the route's part policy (its limits
 * read from the policy's options provider on each request), and removes the request's temp folder once the handler
 * is done, its reply sent or its error thrown.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(UploadSpace) private readonly space: UploadSpace,
    @Inject(RequestSlots) private readonly slots: RequestSlots,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const policy = this.reflector.get<UploadPolicy | undefined>(POLICY, context.getHandler());
    const http = context.switchToHttp();
    const req = http.getRequest<RequestWithUpload>();
    if (!policy) {
      return next.handle();
    }
    const options = this.moduleRef.get(policy.options, { strict: false });
    const route = (req as RequestWithUpload & { route?: { path?: string } }).route?.path ?? 'unknown';
    const facts = currentRequest();
    const limits = { space: this.space, ...(policy.heavy ? { slots: this.slots } : {}) };
    const upload = new PendingUpload(
      req,
      http.getResponse<ServerResponse>(),
      policy.rules(options, req),
      limits,
      (bytes) => {
        this.metrics.uploadReceived(route, bytes);
        if (facts) {
          facts.bytesIn = bytes;
        }
      },
    );
    req[PENDING] = upload;
    return from(
      (async () => {
        try {
          return await lastValueFrom(next.handle(), { defaultValue: undefined });
        } finally {
          await upload.remove();
        }
      })(),
    );
  }
}

/**
 * Declares a multipart route: its parts are received by {@link UploadInterceptor} under `policy` and documented
 * from the same policy as the request body.
 */
export function ReceivesParts<O>(policy: UploadPolicy<O>): MethodDecorator {
  return applyDecorators(
    SetMetadata(POLICY, policy),
    UseInterceptors(UploadInterceptor),
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: policy.schema }),
  );
}

/** The handler parameter holding the route's {@link PendingUpload} (with `@ReceivesParts`). */
export const Upload = createParamDecorator((_data: unknown, context: ExecutionContext): PendingUpload => {
  const upload = context.switchToHttp().getRequest<RequestWithUpload>()[PENDING];
  if (!upload) {
    throw new Error('@Upload() needs @ReceivesParts() on its route');
  }
  return upload;
});
