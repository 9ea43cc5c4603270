import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';
import { MetricsService } from './metrics.service';

/** The Prometheus metrics: the service every part reports to, `GET /metrics`, and `--metrics_port`'s server. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  #server: MetricsServer | undefined;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  /** The port `--metrics_port` bound (0 picks one), or undefined without it. */
  metricsPort: number | undefined;

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metricsPort !== undefined) {
      this.#server = new MetricsServer(this.metrics);
      this.metricsPort = await this.#server.listen(this.config.metricsPort, this.config.host);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#server?.close();
  }
}
