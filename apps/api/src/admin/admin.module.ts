import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { ModelBootService } from './model-boot.service';
import { ModelRegistryService } from './model-registry.service';
import { ModelRepository } from './model.repository';

/** The model registry: `/admin/model` uploads, lists and deletes models; boot loads the registered ones. */
@Module({
  controllers: [AdminController],
  providers: [ModelRepository, ModelRegistryService, ModelBootService, AdminGuard],
  exports: [ModelRepository, ModelRegistryService],
})
export class AdminModule {}
