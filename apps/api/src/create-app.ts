import type { Server } from 'node:http';
import * as fs from 'node:fs';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { DomainErrorFilter } from './common/domain-error.filter';
import { FileLogger } from './common/file-logger';
import type { AppConfig } from './config/app-config';
import { setupSwagger } from './docs/swagger';

/** How {@link createApp} builds the app besides the config. */
export interface CreateAppOptions {
  /** Log to the console too (default true; tests turn it off). */
  readonly console?: boolean;
}

/**
 * Builds the server (not yet listening): workspace folders, the file logger, the error filter, validation, Swagger
 * at `/docs`. `main.ts` and the e2e tests both start the app through here.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  for (const dir of [config.workspace, config.modelsDir, config.stagingDir]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const logger = new FileLogger(config.logFile, config.debug, options.console ?? true);
  const app = await NestFactory.create(AppModule.forRoot(config), { logger, bufferLogs: false });
  app.useGlobalFilters(new DomainErrorFilter());
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  app.enableShutdownHooks();
  // Node cuts any request not received within 5 minutes, which fails a 500 MB volume on a slow link; uploads are
  // bounded by --upload_idle_timeout_sec (silence) instead, and headers keep Node's own 60 s limit.
  (app.getHttpServer() as Server).requestTimeout = 0;
  setupSwagger(app);
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    logger.closeFile();
  };
  return app;
}
