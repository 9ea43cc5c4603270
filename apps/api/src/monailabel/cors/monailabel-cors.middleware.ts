import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { writeJson } from '../../common/http-reply';

/**
 * The routes MONAI Label's browser client (OHIF) calls across origins, its DICOMweb proxy among them; `/admin` is
 * never among them.
 */
const MONAI_LABEL_ROUTES = /^\/(info|auth|infer|datastore|activelearning|session|train|proxy\/dicom)(\/|$)/;

/** What a preflight may ask for: every method of these routes, and whatever headers the client names. */
const ALLOWED_METHODS = 'GET, HEAD, PUT, POST, DELETE';
/** Read by browser clients: the file name (its suffix is the format) and the stage timings. */
const EXPOSED_HEADERS = 'Content-Disposition, Server-Timing';

/**
 * CORS for the MONAI Label routes, from `--cors_origins`: an allowed origin gets `Access-Control-Allow-Origin` on
 * every reply and its preflights (`OPTIONS` before a PUT, or a POST with a JSON body) are answered 204; a preflight
 * from any other origin is answered 403 saying why. With no origins configured (the default) nothing changes: pages
 * served by this server call it as same-origin, other origins are left to the browser's refusal.
 */
@Injectable()
export class MonaiLabelCorsMiddleware implements NestMiddleware {
  readonly #origins: readonly string[];

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.#origins = config.corsOrigins;
  }

  use(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void {
    const origin = req.headers.origin;
    // Express strips a middleware's mount path from `url`; `originalUrl` keeps the whole path.
    const url = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
    if (origin === undefined || !MONAI_LABEL_ROUTES.test(url)) {
      next();
      return;
    }
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    const any = this.#origins.includes('*');
    if (!any && !this.#origins.includes(origin)) {
      if (preflight) {
        writeJson(res, 403, {
          statusCode: 403,
          error: 'Forbidden',
          message: `origin ${origin} may not call ${url} from a browser (allowed: --cors_origins ${
            this.#origins.join(',') || '(none)'
          })`,
          kind: 'http',
        });
        return;
      }
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    if (!any) {
      res.setHeader('Vary', 'Origin');
    }
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (!preflight) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    const requested = req.headers['access-control-request-headers'];
    if (requested !== undefined) {
      res.setHeader('Access-Control-Allow-Headers', requested);
    }
    res.setHeader('Access-Control-Max-Age', '600');
    res.statusCode = 204;
    res.end();
  }
}
