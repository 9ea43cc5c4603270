import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { writeJson } from '../common/http-reply';
import type { AdminGuard } from './admin.guard';

/** The paths the admin rules guard. */
const ADMIN_PATH = /^\/admin(?:\/|\?|$)/;

/**
 * Answers `Expect: 100-continue` (a client asking before it sends its body) only once the admin rules let the request
 * in: a request to `/admin/*` that {@link AdminGuard} refuses gets its 403 at once, and its body is never invited or
 * read; every other request is told to continue, as Node would. `prepare` makes a raw request what the guard reads
 * (the framework's request, so that `--trust_proxy` applies).
 */
export function continueAfterAdminGuard(
  server: Server,
  guard: AdminGuard,
  prepare: (req: IncomingMessage) => IncomingMessage,
): void {
  const logger = new Logger('AdminGuard');
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = ADMIN_PATH.test(req.url ?? '') ? guard.refusalOf(prepare(req)) : undefined;
    if (refusal !== undefined) {
      logger.warn(`${req.method ?? '?'} ${(req.url ?? '').split('?')[0]} → 403 before its body: ${refusal}`);
      res.setHeader('Connection', 'close');
      writeJson(res, 403, { statusCode: 403, error: 'Forbidden', message: refusal, kind: 'http' });
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });
}
