import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { FixPolygonService } from './v1/fix-polygon.service';
import { InferenceOptions } from './inference-options';
import { InferenceService } from './v1/inference.service';
import { MaskToPolygonService } from './v1/mask-to-polygon.service';
import { ModelsService } from './v1/models.service';
import { SessionStore } from './session/session-store.service';
import { SessionController } from './session/session.controller';
import { SessionService } from './session/session.service';
import { V1Controller } from './v1/v1.controller';

/**
 * The AIAA client API: `/v1/models`, the inference endpoints, `/v1/mask2polygon` and `/session`. Models come from
 * the global runtime; limits and folders from {@link InferenceOptions}, derived from the server config.
 */
@Module({
  controllers: [V1Controller, SessionController],
  providers: [
    {
      provide: InferenceOptions,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new InferenceOptions({
          workspaceDir: config.workspace,
          instanceId: config.instanceId,
          maxUploadBytes: config.maxUploadBytes,
          requestTimeoutMs: config.requestTimeoutSec * 1000,
          requestBudgetBytes: config.requestBudgetBytes,
          sessionsPerClient: config.sessionsPerClient,
          maxSessionExpirySec: config.sessionMaxExpirySec,
        }),
    },
    ModelsService,
    InferenceService,
    MaskToPolygonService,
    FixPolygonService,
    SessionStore,
    SessionService,
  ],
  exports: [InferenceOptions, SessionStore],
})
export class InferenceModule {}
