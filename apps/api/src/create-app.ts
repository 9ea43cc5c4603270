import type { Server } from 'node:http';
import * as fs from 'node:fs';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { AppModule } from './app.module';
import { DomainErrorFilter } from './common/domain-error.filter';
import type { AppConfig } from './config/app-config';
import { setupSwagger } from './docs/swagger';
import { AppLogger } from './logging/app-logger';
import { LogSink } from './logging/log-sink';
import { requestContext } from './logging/request-context';
import { requestLog } from './logging/request-log';

/** How {@link createApp} builds the app besides the config. */
export interface CreateAppOptions {
  /** Log to stdout too (default true; tests turn it off). The log file is always written. */
  readonly console?: boolean;
}

/**
 * Builds the server (not yet listening): workspace folders, JSON logs (pino) into `logs/aiaa.log` and stdout, request
 * ids, the error filter, validation, Swagger at `/docs`. `main.ts` and the e2e tests both start the app through here.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  for (const dir of [config.workspace, config.modelsDir, config.stagingDir]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const sink = new LogSink(config.logFile, config.logMaxMb * 1024 * 1024, options.console ?? true);
  const logger = pino({ level: config.logLevel, base: undefined }, sink);
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: new AppLogger(logger) });
  // Before every route: each request gets its id and its facts, and its line in the log when it ends.
  app.use(requestContext);
  app.use(requestLog(logger));
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
    sink.close();
  };
  return app;
}
