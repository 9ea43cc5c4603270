import type { Server, ServerResponse } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';

/** What {@link stopOnSignals} needs. */
export interface ShutdownOptions {
  readonly app: INestApplication;
  /** How long requests in progress may take to finish before their connections are cut, in ms. */
  readonly graceMs: number;
  readonly logger: LoggerService;
  /** Runs last, after the app closed (removing the private temp folder). */
  readonly afterClose?: () => void;
  /** Default `process.exit`. */
  readonly exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT (docker stop, systemd, Ctrl-C): the server stops accepting connections and closes idle ones;
 * requests in progress get `graceMs` to finish, then their connections are cut (their clients' signals cancel the
 * work); one line says what happened, the app closes (models unloaded, worker threads ended, the log closed) and the
 * process exits 0. Further signals while it stops change nothing: with `npm start` or Ctrl-C the same signal arrives
 * more than once (to the process group, and forwarded by the launcher), and the grace bounds the stop anyway.
 */
export function stopOnSignals(options: ShutdownOptions): void {
  const server = options.app.getHttpServer() as Server;
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  let stopping = false;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      return;
    }
    stopping = true;
    const started = Date.now();
    const running = inFlight.size;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const finished = await Promise.race([
      waitUntilEmpty(inFlight).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.graceMs).unref()),
    ]);
    const cancelled = inFlight.size;
    server.closeAllConnections();
    await closed;
    const requests =
      running === 0
        ? 'no request in progress'
        : `${running - cancelled} of ${running} requests in progress finished` +
          (finished ? '' : `, ${cancelled} cancelled after the ${options.graceMs / 1000} s grace`);
    // Logged before the app closes, so that the line reaches the log file too.
    options.logger.log(`stopping on ${signal} after ${Date.now() - started} ms: ${requests}; closing the models`);
    await options.app.close();
    options.afterClose?.();
    exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void stop(signal));
  }
}

function waitUntilEmpty(responses: Set<ServerResponse>): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (responses.size === 0) {
        resolve();
      } else {
        setTimeout(check, 50).unref();
      }
    };
    check();
  });
}
