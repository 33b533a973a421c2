import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobRuns } from '../database/job-runs';
import { MediaService } from '../media/media.service';
import { EventsService } from '../events/events.service';
import { InboxService } from '../whatsapp-webhook/inbox.service';
import { ConversationsService, RetentionResult } from './conversations.service';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** What one pass removed. */
export interface RetentionPassResult extends RetentionResult {
  /** Finished WhatsApp inbox events (raw webhook payloads) past INBOX_RETENTION_DAYS. */
  inboxEventsDeleted: number;
  /** Kept files of the messages past MESSAGE_RETENTION_DAYS. */
  mediaFilesDeleted: number;
}

/**
 * Every hour: deletes messages older than MESSAGE_RETENTION_DAYS, then the conversations left
 * empty (with their kept files), and the finished inbox events older than INBOX_RETENTION_DAYS
 * (their raw payloads hold customers' numbers, names and text), and the workspace events the live
 * streams have read. The embedded database has no TTL indexes, so this job is
 * the retention mechanism everywhere. One process per hour runs it (a {@link JobRuns} slot); never
 * a ROLE=api process.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger(RetentionJob.name);
  private running = false;

  constructor(
    private readonly conversations: ConversationsService,
    private readonly inbox: InboxService,
    private readonly media: MediaService,
    private readonly jobRuns: JobRuns,
    private readonly events: EventsService,
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
  async runScheduled(now: Date): Promise<RetentionPassResult | null> {
    if (this.config.role === 'api') return null;
    if (!(await this.jobRuns.acquire('message-retention', HOUR_MS, now))) return null;
    return this.run(now);
  }

  /** One pass; returns null when a pass is already running. Message retention 0 keeps messages. */
  async run(now: Date = new Date()): Promise<RetentionPassResult | null> {
    const { retentionDays, retentionBatchSize, inboxRetentionDays } = this.config.conversations;
    if (this.running) return null;
    this.running = true;
    try {
      const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
      // Files before their messages: a file's own message time decides, so none is left behind.
      const mediaFilesDeleted =
        retentionDays === 0 ? 0 : await this.media.purgeOlderThan(cutoff, retentionBatchSize);
      const result =
        retentionDays === 0
          ? { messagesDeleted: 0, conversationsDeleted: 0, batches: 0 }
          : await this.conversations.purgeOlderThan(cutoff, retentionBatchSize);
      const inboxCutoff = new Date(now.getTime() - inboxRetentionDays * DAY_MS);
      const inboxEventsDeleted = await this.inbox.purgeFinishedBefore(
        inboxCutoff,
        retentionBatchSize,
      );
      await this.events.purge(now);
      const pass = { ...result, inboxEventsDeleted, mediaFilesDeleted };
      if (
        pass.messagesDeleted > 0 ||
        pass.conversationsDeleted > 0 ||
        inboxEventsDeleted > 0 ||
        mediaFilesDeleted > 0
      ) {
        this.logger.log({ ...pass, cutoff: cutoff.toISOString() }, 'retention removed old data');
      }
      return pass;
    } finally {
      this.running = false;
    }
  }
}
