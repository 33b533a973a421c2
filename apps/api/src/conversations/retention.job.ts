import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ConversationsService, RetentionResult } from './conversations.service';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes messages older than MESSAGE_RETENTION_DAYS, then the conversations left empty, every
 * hour. The embedded database has no TTL indexes, so this job is the retention mechanism
 * everywhere. Deletes are idempotent, so several API processes may run it.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger(RetentionJob.name);
  private running = false;

  constructor(
    private readonly conversations: ConversationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'message-retention' })
  async scheduled(): Promise<void> {
    if (this.config.nodeEnv === 'test') return;
    await this.run().catch((err: unknown) =>
      this.logger.error({ err }, 'message retention failed'),
    );
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
