import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobRuns } from '../database/job-runs';
import { ConversationsService, RetentionResult } from './conversations.service';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Deletes messages older than MESSAGE_RETENTION_DAYS, then the conversations left empty, every
 * hour. The embedded database has no TTL indexes, so this job is the retention mechanism
 * everywhere. One process per hour runs it (a {@link JobRuns} slot); never a ROLE=api process.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger(RetentionJob.name);
  private running = false;

  constructor(
    private readonly conversations: ConversationsService,
    private readonly jobRuns: JobRuns,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'message-retention' })
  async scheduled(): Promise<void> {
    if (this.config.nodeEnv === 'test') return;
    await this.runScheduled(new Date()).catch((err: unknown) =>
      this.logger.error({ err }, 'message retention failed'),
    );
  }

  /** The hour's pass, unless another process already ran it or this one only serves the API. */
  async runScheduled(now: Date): Promise<RetentionResult | null> {
    if (this.config.role === 'api') return null;
    if (!(await this.jobRuns.acquire('message-retention', HOUR_MS, now))) return null;
    return this.run(now);
  }

  /** One pass; returns null when retention is off (0 days) or a pass is already running. */
  async run(now: Date = new Date()): Promise<RetentionResult | null> {
    const { retentionDays, retentionBatchSize } = this.config.conversations;
    if (retentionDays === 0 || this.running) return null;
    this.running = true;
    try {
      const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
      const result = await this.conversations.purgeOlderThan(cutoff, retentionBatchSize);
      if (result.messagesDeleted > 0 || result.conversationsDeleted > 0) {
        this.logger.log(
          { ...result, cutoff: cutoff.toISOString() },
          'message retention removed old data',
        );
      }
      return result;
    } finally {
      this.running = false;
    }
  }
}
