import { Module } from '@nestjs/common';
import { ModelRepository } from './model.repository';

/** The model registry: `/admin/model` uploads, lists and deletes models; boot loads the registered ones. */
@Module({ providers: [ModelRepository], exports: [ModelRepository] })
export class AdminModule {}
