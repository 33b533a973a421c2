import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AccountNoticesService } from '../account-notices/account-notices.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { integrationError } from './integration.views';
import { IntegrationsRepository } from './integrations.repository';

const REFRESH_MS = 30_000;

/**
 * Keeps the "integrations in error" gauge current (one count every 30 s): in error for any reason
 * the integration's status shows, its own error or Meta's restriction, ban or deletion notice.
 * Counted by the processes that run the jobs (ROLE=worker or all), like the inbox gauges: API
 * processes add no background queries.
 */
@Injectable()
export class IntegrationsMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IntegrationsMetrics.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: IntegrationsRepository,
    private readonly metrics: MetricsService,
    private readonly notices: AccountNoticesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  /** Whether this process keeps the gauge current (never with ROLE=api). */
  get isRefreshing(): boolean {
    return this.timer !== undefined;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    try {
      const counts = new Map<string, number>();
      for (const row of await this.repo.listActiveErrorStates()) {
        // Its own error decides first; only the others need Meta's notices (one lookup each).
        const standing =
          row.health === 'error'
            ? null
            : await this.notices.currentStanding(row.workspaceId, row.id);
        const reason = integrationError(row, standing);
        if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
      }
      const gauge = this.metrics.integrationsInError;
      gauge.reset();
      for (const [reason, n] of counts) gauge.set({ reason }, n);
    } catch (err) {
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'count failed');
    }
  }
}
