import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { backoffMs } from '../whatsapp-webhook/backoff';
import { MediaDownloadsRepository, type MediaDownloadJob } from './media-downloads.repository';
import { MediaService } from './media.service';

const POLL_BATCH = 16;
/** An idle loop polls once per this many inbox poll intervals. */
const IDLE_POLLS = 10;

/**
 * Downloads inbound files off the reply's path: the inbox stores the message and answers it, this
 * worker keeps its file. A failed attempt is retried with backoff (the inbox's attempts and base
 * delay, timed by the injected clock); the last failure is recorded on the message with Meta's
 * reason. Started with the inbox workers; one loop per process is enough (downloads are I/O).
 */
@Injectable()
export class MediaDownloadWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MediaDownloadWorker');
  private running = false;
  private loop: Promise<void> | null = null;
  private waker: (() => void) | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly downloads: MediaDownloadsRepository,
    private readonly media: MediaService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.whatsapp.enabled && this.config.webhook.inboxConcurrency > 0) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.waker?.();
    await this.loop;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New downloads were queued: ends the idle sleep. */
  wake(): void {
    this.waker?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.tick();
      } catch (err) {
        this.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'media poll failed',
        );
      }
      // New downloads wake the loop (they are queued by this process's inbox workers): an idle
      // poll only finds retries coming due, which can wait longer than a message can.
      if (!worked && this.running) {
        await this.sleep(IDLE_POLLS * this.config.webhook.inboxPollIntervalMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waker = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waker = done;
    });
  }

  /** Runs the due downloads; false when none was due. */
  async tick(): Promise<boolean> {
    const due = await this.downloads.dueAnyWorkspace(this.clock.now(), POLL_BATCH);
    let worked = false;
    for (const job of due) {
      if (!this.running) break;
      const claimed = await this.downloads.claim(
        job,
        this.clock.now(),
        this.config.webhook.inboxLeaseMs,
      );
      if (!claimed) continue;
      worked = true;
      await this.attempt(claimed);
    }
    return worked;
  }

  private async attempt(job: MediaDownloadJob): Promise<void> {
    const log = { messageId: job._id, attempt: job.attempts };
    const outcome = await this.media.fetchAndStore(job).catch((error: unknown) => ({
      state: 'retry' as const,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      retryAfterMs: undefined,
    }));
    if (outcome.state === 'stored') {
      await this.downloads.finish(job._id, 'done', null);
      return;
    }
    const { inboxMaxAttempts, inboxRetryBaseMs } = this.config.webhook;
    if (outcome.state === 'retry' && job.attempts < inboxMaxAttempts) {
      const delay = backoffMs(job.attempts, inboxRetryBaseMs, outcome.retryAfterMs);
      await this.downloads.reschedule(
        job._id,
        new Date(this.clock.now().getTime() + delay),
        outcome.error,
      );
      this.logger.warn(
        { ...log, retryInMs: delay, err: outcome.error },
        'media download will be retried',
      );
      return;
    }
    const code = outcome.state === 'failed' ? outcome.code : 'MEDIA_DOWNLOAD_FAILED';
    const detail = outcome.state === 'failed' ? outcome.detail : outcome.error;
    await this.media.recordFailure(job.workspaceId, job._id, code, detail).catch(() => undefined);
    await this.downloads.finish(job._id, 'failed', detail ?? code);
    this.logger.warn({ ...log, code }, 'media download failed');
  }
}
