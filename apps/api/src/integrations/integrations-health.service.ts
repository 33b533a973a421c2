import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobRuns, untilSlotMiddle } from '../database/job-runs';
import { IntegrationStatusService } from './integration-status.service';

const MAX_BACKOFF_FACTOR = 8;

/**
 * Re-tests active integrations every INTEGRATION_HEALTHCHECK_INTERVAL_MS (0 disables). One process
 * per interval sweeps (a {@link JobRuns} slot); never a ROLE=api process. Every process tries in
 * the middle of each slot, so sweeps stay an interval apart whoever takes them. When Meta
 * rate-limits, the next sweep waits twice as long (up to 8×; the skipped slots are held for every
 * process), then the interval recovers.
 */
@Injectable()
export class IntegrationsHealthCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IntegrationsHealthCheck.name);
  private timer: NodeJS.Timeout | undefined;
  private factor = 1;
  private stopped = false;

  constructor(
    private readonly status: IntegrationStatusService,
    private readonly jobRuns: JobRuns,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const { healthCheckIntervalMs, enabled } = this.config.whatsapp;
    if (healthCheckIntervalMs > 0 && enabled && this.config.role !== 'api') {
      this.schedule(untilSlotMiddle(healthCheckIntervalMs, this.clock.now()));
    }
  }

  /** Whether this process has a sweep timer (never with ROLE=api). */
  get isScheduled(): boolean {
    return this.timer !== undefined && !this.stopped;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One sweep now; returns how many intervals the next one waits (more while Meta rate-limits). */
  async sweep(): Promise<number> {
    const interval = this.config.whatsapp.healthCheckIntervalMs;
    try {
      const report = await this.status.runHealthCheck();
      this.factor = report.rateLimited ? Math.min(this.factor * 2, MAX_BACKOFF_FACTOR) : 1;
      if (report.checked > 0)
        this.logger.log(
          { ...report, nextInMs: interval * this.factor },
          'integration health check',
        );
    } catch (err) {
      this.logger.error({ err }, 'integration health check failed');
    }
    return this.factor;
  }

  /**
   * A timed sweep: runs only when no process has swept in the current interval's slot; returns
   * the delay until this process tries again (the middle of a later slot, by the injected clock).
   */
  async scheduledSweep(): Promise<{ swept: boolean; nextInMs: number }> {
    const interval = this.config.whatsapp.healthCheckIntervalMs;
    const taken = await this.jobRuns
      .acquire('integration-health', interval)
      .catch((err: unknown) => {
        this.logger.error({ err }, 'integration health check failed');
        return false;
      });
    const ahead = taken ? await this.sweep() : 1;
    if (ahead > 1) {
      await this.jobRuns
        .holdNext('integration-health', interval, ahead - 1)
        .catch((err: unknown) => {
          this.logger.error({ err }, 'integration health check backoff not shared');
        });
    }
    return { swept: taken, nextInMs: untilSlotMiddle(interval, this.clock.now(), ahead) };
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.scheduledSweep().then(({ nextInMs }) => this.schedule(nextInMs));
    }, delay);
    this.timer.unref();
  }
}
