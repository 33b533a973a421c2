import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { IntegrationsRepository } from './integrations.repository';

const REFRESH_MS = 30_000;

/** Keeps the "integrations in error" gauge current (one count every 30 s). */
@Injectable()
export class IntegrationsMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IntegrationsMetrics.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: IntegrationsRepository,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    try {
      this.metrics.integrationsInError.set(await this.repo.countActiveInError());
    } catch (err) {
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'count failed');
    }
  }
}
