import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { HealthResponse, InboxHealth, WorkerHealth } from '@conecta/contracts';
import type { Connection } from 'mongoose';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { APP_VERSION } from '../version';

const PING_TIMEOUT_MS = 2_000;
/** A worker that has not polled for this long (beyond its poll interval) counts as stalled. */
const STALL_AFTER_MS = 30_000;

/**
 * Liveness and readiness. The database is pinged; the inbox backlog and the worker heartbeat are
 * read from the gauges the inbox worker keeps, so a health check costs no extra queries.
 */
@Injectable()
export class HealthService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<HealthResponse> {
    const db = (await this.pingDb()) ? 'up' : 'down';
    if (db === 'down') {
      throw new AppError('SERVICE_UNAVAILABLE', 'The database is unreachable', {
        status: 'down',
        db,
        version: APP_VERSION,
      });
    }
    const [inbox, worker] = await Promise.all([this.inbox(), this.worker()]);
    return {
      status: worker.state === 'stalled' ? 'degraded' : 'ok',
      db,
      version: APP_VERSION,
      ...(inbox ? { inbox } : {}),
      worker,
    };
  }

  private async inbox(): Promise<InboxHealth | undefined> {
    const depth = await this.metrics.inboxDepth.get();
    if (depth.values.length === 0) return undefined;
    const byState = (state: string): number =>
      depth.values.find((v) => v.labels.state === state)?.value ?? 0;
    const age = (await this.metrics.inboxOldestPendingAge.get()).values[0]?.value ?? 0;
    return {
      pending: byState('pending'),
      processing: byState('processing'),
      dead: byState('dead'),
      oldestPendingAgeSeconds: Math.round(age),
    };
  }

  private async worker(): Promise<WorkerHealth> {
    const beat = (await this.metrics.workerHeartbeat.get()).values[0]?.value;
    if (beat === undefined) return { state: 'off', lastHeartbeatSecondsAgo: null };
    const agoMs = Date.now() - beat * 1000;
    const stalled = agoMs > STALL_AFTER_MS + this.config.webhook.inboxPollIntervalMs;
    return {
      state: stalled ? 'stalled' : 'running',
      lastHeartbeatSecondsAgo: Math.round(agoMs / 100) / 10,
    };
  }

  private async pingDb(): Promise<boolean> {
    const database = this.connection.db;
    if (!database || this.connection.readyState !== 1) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('ping timeout')), PING_TIMEOUT_MS);
      });
      await Promise.race([database.command({ ping: 1 }), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
