import { Injectable, Logger } from '@nestjs/common';
import type { MessageRecord } from '../conversations/conversation.types';
import { MediaDownloadWorker } from './media-download.worker';
import { MediaService } from './media.service';

/** What the inbox asks of the media step: keep a message's file without waiting for it. */
@Injectable()
export class MediaInbound {
  private readonly logger = new Logger('MediaInbound');

  constructor(
    private readonly media: MediaService,
    private readonly worker: MediaDownloadWorker,
  ) {}

  /** Queues the download of the message's file, if it has one; the reply does not wait for it. */
  async keepFile(
    message: MessageRecord,
    integration: { id: string; phoneNumberId: string },
  ): Promise<void> {
    if (!message.media?.id) return;
    if (await this.media.enqueueDownload(message, integration)) {
      this.logger.log({ messageId: message.id, kind: message.media.kind }, 'media download queued');
      this.worker.wake();
    }
  }
}
