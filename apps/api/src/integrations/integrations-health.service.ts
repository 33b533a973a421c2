import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { IntegrationsService } from './integrations.service';

const MAX_BACKOFF_FACTOR = 8;

/**
 * Re-tests active integrations every INTEGRATION_HEALTHCHECK_INTERVAL_MS (0 disables). When Meta
 * rate-limits, the next sweep waits twice as long (up to 8×), then the interval recovers.
 */
@Injectable()
export class IntegrationsHealthCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IntegrationsHealthCheck.name);
  private timer: NodeJS.Timeout | undefined;
  private factor = 1;
  private stopped = false;

  constructor(
    private readonly integrations: IntegrationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.whatsapp.healthCheckIntervalMs > 0 && this.config.whatsapp.enabled) {
      this.schedule();
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One sweep now; returns the delay until the next one. */
  async sweep(): Promise<number> {
    const interval = this.config.whatsapp.healthCheckIntervalMs;
    try {
      const report = await this.integrations.runHealthCheck();
      this.factor = report.rateLimited ? Math.min(this.factor * 2, MAX_BACKOFF_FACTOR) : 1;
      if (report.checked > 0)
        this.logger.log(
          { ...report, nextInMs: interval * this.factor },
          'integration health check',
        );
    } catch (err) {
      this.logger.error({ err }, 'integration health check failed');
    }
    return interval * this.factor;
  }

  private schedule(delay = this.config.whatsapp.healthCheckIntervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sweep().then((next) => this.schedule(next));
    }, delay);
    this.timer.unref();
  }
}
