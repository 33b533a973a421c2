import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { CLOCK, type Clock } from '../common/clock';
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
 * a ROLE=api process. It fires at half past, mid-slot, so clocks a little apart agree on the hour.
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
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Cron('0 30 * * * *', { name: 'message-retention' })
  async scheduled(): Promise<void> {
    if (this.config.nodeEnv === 'test') return;
    await this.runScheduled().catch((err: unknown) =>
      this.logger.error({ err }, 'message retention failed'),
    );
  }

  /** The hour's pass, unless another process already ran it or this one only serves the API. */
  async runScheduled(): Promise<RetentionPassResult | null> {
    if (!(await this.jobRuns.acquire('message-retention', HOUR_MS))) return null;
    return this.run();
  }

  /** One pass; returns null when a pass is already running. Message retention 0 keeps messages. */
  async run(now: Date = this.clock.now()): Promise<RetentionPassResult | null> {
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
