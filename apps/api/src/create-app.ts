import type { IncomingMessage, Server } from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { pino } from 'pino';
import { continueAfterAdminGuard } from './admin/admin-continue';
import { AdminGuard } from './admin/admin.guard';
import { AppModule } from './app.module';
import { forwardedAsXForwardedFor } from './common/client-address';
import { DomainErrorFilter, type ServerPath } from './common/domain-error.filter';
import type { AppConfig } from './config/app-config';
import { setupSwagger } from './docs/swagger';
import { AppLogger } from './logging/app-logger';
import { LogSink } from './logging/log-sink';
import { requestContext } from './logging/request-context';
import { requestLog } from './logging/request-log';
import { applyRequestDeadlines } from './upload/body-deadline';

/** How {@link createApp} builds the app besides the config. */
export interface CreateAppOptions {
  /** Log to stdout too (default true; tests turn it off). The log file is always written. */
  readonly console?: boolean;
}

/**
 * Builds the server (not yet listening): workspace folders, JSON logs (pino) into `logs/aiaa.log` and stdout, request
 * ids, the error filter, validation, Swagger at `/docs`. `main.ts` and the e2e tests both start the app through here;
 * signals are `main.ts`'s to handle.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  for (const dir of [config.workspace, config.modelsDir, config.stagingDir]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const sink = new LogSink(config.logFile, config.logMaxMb * 1024 * 1024, options.console ?? true);
  const logger = pino({ level: config.logLevel, base: undefined }, sink);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: new AppLogger(logger),
  });
  // Before every route: each request gets its id and its facts, and its line in the log when it ends.
  app.use(requestContext);
  app.use(requestLog(logger));
  app.useGlobalFilters(new DomainErrorFilter(serverPaths(config)));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  // Off by default: the client address is the TCP peer's. Set, Express takes it from X-Forwarded-For (and, through
  // the middleware, from Forwarded) by the trust rules given.
  app.set('trust proxy', config.trustProxy ?? false);
  if (config.trustProxy !== undefined) {
    app.use(forwardedAsXForwardedFor);
  }
  const server = app.getHttpServer() as Server;
  // Node's 5-minute request timeout would fail a 500 MB volume on a slow link: a silent body is cut after
  // --upload_idle_timeout_sec, a whole request after --body_timeout_sec.
  applyRequestDeadlines(server, {
    bodyIdleMs: config.uploadIdleTimeoutSec * 1000,
    requestMs: config.bodyTimeoutSec * 1000,
  });
  const expressRequest = (app.getHttpAdapter().getInstance() as { request: object }).request;
  continueAfterAdminGuard(server, app.get(AdminGuard), (req: IncomingMessage) => {
    // What Express's own first middleware does, so that the guard reads the address by the trust rules.
    Object.setPrototypeOf(req, expressRequest);
    if (config.trustProxy !== undefined) {
      forwardedAsXForwardedFor(req, undefined, () => undefined);
    }
    return req;
  });
  setupSwagger(app);
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    sink.close();
  };
  return app;
}

/**
 * The folders error replies never show, as given and with their links resolved: the workspace (where uploads are
 * staged), the server's own temp folder, the sources. A shared top-level temp folder (`/tmp`) is no secret, and
 * hiding it would garble what clients send (a bundle entry named `/tmp/x`).
 */
function serverPaths(config: AppConfig): ServerPath[] {
  const tmp = os.tmpdir();
  const folders: [string, string][] = [
    [config.workspace, '<workspace>'],
    ...(path.dirname(tmp) === path.parse(tmp).root ? [] : [[tmp, '<tmp>'] as [string, string]]),
    [path.resolve(__dirname, '../../..'), '<server>'],
  ];
  return folders.flatMap(([dir, label]) => {
    const real = fs.existsSync(dir) ? fs.realpathSync(dir) : dir;
    return [...new Set([dir, real])].map((p) => ({ path: p, label }));
  });
}
