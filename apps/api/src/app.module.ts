import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from './admin/admin.module';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/app-config';
import { databaseOptions } from './database/database.options';
import { HealthController } from './health.controller';
import { InferenceModule } from './inference/inference.module';
import { LogsController } from './logs/logs.controller';
import { RuntimeModule } from './runtime/runtime.module';

/** The server: config, the registry database, the loaded models, the admin API, logs and health. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(databaseOptions(config.db, config.workspace)),
        RuntimeModule,
        AdminModule,
        InferenceModule,
      ],
      controllers: [HealthController, LogsController],
    };
  }
}
