import { Injectable, Logger } from '@nestjs/common';
import type { WorkspaceId } from '../common/workspace-id';
import type { ChatbotRecord } from '../chatbots/chatbot.types';
import type { MessageRecord } from '../conversations/conversation.types';
import { ConversationsService } from '../conversations/conversations.service';
import type { ResponderTurn } from '../responders/responder.types';
import { RespondersService } from '../responders/responders.service';
import { MediaDownloadWorker } from './media-download.worker';
import { MediaService } from './media.service';

/** What the inbox asks of the media step: keep a message's file without waiting for it. */
@Injectable()
export class MediaInbound {
  private readonly logger = new Logger('MediaInbound');

  constructor(
    private readonly media: MediaService,
    private readonly worker: MediaDownloadWorker,
    private readonly conversations: ConversationsService,
    private readonly responders: RespondersService,
  ) {}

  /**
   * The responder's turns of a thread: a voice note is its transcript; for a chatbot whose model
   * takes images, the customer's photos of the current turn (since the bot last spoke) are image
   * parts, with their caption as the text.
   */
  async turnsOf(
    chatbot: ChatbotRecord,
    workspaceId: WorkspaceId,
    history: MessageRecord[],
  ): Promise<ResponderTurn[]> {
    const shown = history.filter((m) => !m.deleted);
    const lastBot = shown.map((m) => m.role).lastIndexOf('assistant');
    const turns: ResponderTurn[] = [];
    for (const [i, m] of shown.entries()) {
      const media = m.media;
      if (
        chatbot.responder.acceptsImages &&
        i > lastBot &&
        m.role === 'user' &&
        media?.kind === 'image' &&
        media.state !== 'failed'
      ) {
        // The model needs the photo now: downloaded here if its queued download has not run.
        const kept = await this.media.ensureStored(workspaceId, m.id);
        if (kept?.file.sniffedType) {
          turns.push({
            role: 'user',
            content: media.caption ?? '',
            images: [{ mimeType: kept.file.sniffedType, data: kept.data }],
          });
          continue;
        }
      }
      turns.push({ role: m.role, content: media?.transcript ?? m.content });
    }
    return turns;
  }

  /**
   * Transcribes an inbound voice note (or audio) before the bot answers it, when transcription is
   * configured: the transcript is kept on the message, where the responder's turn and the thread
   * read it. A failure leaves the note's label as the turn.
   */
  async transcribe(
    chatbot: ChatbotRecord,
    workspaceId: WorkspaceId,
    messageId: string,
  ): Promise<void> {
    if (!this.responders.transcribes(chatbot)) return;
    const message = await this.conversations.getMessage(workspaceId, messageId);
    if (message.media?.kind !== 'audio' || message.media.transcript) return;
    const kept = await this.media.ensureStored(workspaceId, messageId);
    if (!kept) return;
    const transcript = await this.responders.transcribe(chatbot, {
      data: kept.data,
      mimeType: kept.file.sniffedType ?? kept.file.declaredType ?? 'application/octet-stream',
      fileName: kept.file.fileName,
    });
    if (transcript === null) return;
    await this.conversations.updateMedia(workspaceId, messageId, { transcript });
    this.logger.log({ messageId }, 'voice note transcribed');
  }

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
