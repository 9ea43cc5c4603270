import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { describeError } from '@aiaa/core';
import type { MetricsService } from './metrics.service';

/**
 * The server of `--metrics_port`: `GET /metrics` and nothing else, to every client, for a scraper on the inside
 * network (the main port keeps the admin rules). Listens on the main server's `--host`.
 */
export class MetricsServer {
  readonly #server: http.Server;
  readonly #logger = new Logger('Metrics');

  constructor(private readonly metrics: MetricsService) {
    this.#server = http.createServer((req, res) => void this.#answer(req, res));
    // A scraper keeps its connection open between scrapes; closing must not wait for it.
    this.#server.keepAliveTimeout = 5_000;
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    const bound = (this.#server.address() as AddressInfo).port;
    this.#logger.log(`metrics on http://${host}:${bound}/metrics`);
    return bound;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = (req.url ?? '').split('?')[0];
    if (url !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('only GET /metrics is served here\n');
      return;
    }
    try {
      const body = Buffer.from(await this.metrics.scrape(), 'utf8');
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.#logger.error(`GET /metrics failed: ${describeError(error)}`);
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('metrics failed (see the server log)\n');
    }
  }
}
