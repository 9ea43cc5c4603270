import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from './admin/admin.module';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database-writes';
import { DicomwebModule } from './dicomweb/dicomweb.module';
import { databaseOptions } from './database/database.options';
import { HealthController } from './health.controller';
import { InferenceModule } from './inference/inference.module';
import { LogsController } from './logs/logs.controller';
import { MetricsModule } from './metrics/metrics.module';
import { MonaiLabelModule } from './monailabel/monailabel.module';
import { RuntimeModule } from './runtime/runtime.module';
import { UploadModule } from './upload/upload.module';
import { WebModule } from './web/web.module';

/**
 * The server: config, the registry database, the loaded models, metrics, the PACS (`--dicomweb`), the admin API, the
 * AIAA and MONAI Label client APIs, the web page, logs and health.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(databaseOptions(config.db, config.workspace)),
        DatabaseModule,
        RuntimeModule,
        UploadModule,
        DicomwebModule,
        MetricsModule,
        AdminModule,
        InferenceModule,
        MonaiLabelModule,
        WebModule,
      ],
      controllers: [HealthController, LogsController],
    };
  }
}
