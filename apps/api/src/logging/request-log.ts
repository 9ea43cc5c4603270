import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { factsOf } from './request-context';

/** Probes and scrapes answered well are logged at debug level: every few seconds from every balancer and scraper. */
const QUIET_PATHS = /^\/(health(\/ready)?|metrics)\/?$/;

type RoutedRequest = IncomingMessage & { originalUrl?: string; route?: { path?: unknown } };

/**
 * The request log (pino-http on the app's pino logger): one line per request when it ends (`request completed`, or
 * `request aborted` when the client went away) with the request id, method, URL, route, status, bytes in and out,
 * the model and version that served it and its stage timings. Headers and bodies are never logged (tokens travel in
 * headers); errors and refusals at warn or error level, probes at debug level.
 */
export function requestLog(logger: Logger): HttpLogger<IncomingMessage, ServerResponse> {
  return pinoHttp({
    logger,
    genReqId: (req) => factsOf(req).id,
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (req, res, error) =>
      error || res.statusCode >= 500
        ? 'error'
        : res.statusCode >= 400
          ? 'warn'
          : QUIET_PATHS.test(pathOf(req))
            ? 'debug'
            : 'info',
    customSuccessObject: (req, res, value: { responseTime?: number }) => requestLine(req, res, value.responseTime),
    customErrorObject: (req, res, error, value: { responseTime?: number }) => ({
      ...requestLine(req, res, value.responseTime),
      err: { type: error.name, message: error.message },
    }),
    customSuccessMessage: (req, res) =>
      `${req.method ?? '?'} ${pathOf(req)} ${res.statusCode}${res.writableFinished ? '' : ' (client went away)'}`,
    customErrorMessage: (req, res) => `${req.method ?? '?'} ${pathOf(req)} ${res.statusCode}`,
  });
}

/** The fields of a request's line. */
function requestLine(req: IncomingMessage, res: ServerResponse, responseTimeMs: number | undefined): object {
  const facts = factsOf(req);
  const route = (req as RoutedRequest).route?.path;
  const timings = facts.timingsMs
    ? Object.fromEntries(Object.entries(facts.timingsMs).map(([stage, ms]) => [stage, Math.round(ms * 10) / 10]))
    : undefined;
  return {
    event: 'request',
    method: req.method,
    url: (req as RoutedRequest).originalUrl ?? req.url,
    ...(typeof route === 'string' ? { route } : {}),
    status: res.statusCode,
    remoteAddress: req.socket.remoteAddress,
    bytesIn: facts.bytesIn ?? numberOf(req.headers['content-length']),
    bytesOut: numberOf(res.getHeader('content-length')),
    ...(facts.model === undefined ? {} : { model: facts.model, version: facts.version ?? null }),
    ...(timings ? { timingsMs: timings } : {}),
    responseTimeMs,
  };
}

function pathOf(req: IncomingMessage): string {
  return ((req as RoutedRequest).originalUrl ?? req.url ?? '').split('?')[0] ?? '';
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? n : undefined;
}
