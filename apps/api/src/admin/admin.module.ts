import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { ConfigSchemaController } from './config-schema.controller';
import { ModelBootService } from './model-boot.service';
import { ModelRegistryService } from './model-registry.service';
import { ModelRepository } from './model.repository';

/**
 * The model registry: `/admin/model` uploads, lists and deletes models; boot loads the registered ones.
 * `/admin/config-schema` publishes what a config may contain.
 */
@Module({
  controllers: [AdminController, ConfigSchemaController],
  providers: [ModelRepository, ModelRegistryService, ModelBootService, AdminGuard],
  exports: [ModelRepository, ModelRegistryService],
})
export class AdminModule {}
