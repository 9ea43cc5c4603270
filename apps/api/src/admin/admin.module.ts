import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { ConfigSchemaController } from './config-schema.controller';
import { ModelBootService } from './model-boot.service';
import { ModelEvents } from './model-events';
import { ModelFolders } from './model-folders';
import { ModelRegistryService } from './model-registry.service';
import { ModelRepository } from './model.repository';
import { RegistrySync } from './registry-sync.service';
import { VersionLoader } from './version-loader';

/**
 * The model registry: `/admin/model` uploads, versions, activates and deletes models; boot loads the registered ones.
 * `/admin/config-schema` publishes what a config may contain.
 */
@Module({
  controllers: [AdminController, ConfigSchemaController],
  providers: [
    ModelRepository,
    ModelFolders,
    ModelEvents,
    VersionLoader,
    RegistrySync,
    ModelRegistryService,
    ModelBootService,
    AdminGuard,
  ],
  exports: [ModelRepository, ModelRegistryService, AdminGuard],
})
export class AdminModule {}
