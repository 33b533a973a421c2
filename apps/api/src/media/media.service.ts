import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  MEDIA_LIMITS,
  baseMimeType,
  checkMediaFile,
  mediaKindOfMime,
  type ContactExportFile,
  type MediaFailureCode,
} from '@conecta/contracts';
import { GraphApiError, metaWordsOf } from '@conecta/graph-client';
import type { WorkspaceId } from '../common/workspace-id';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type { MessageMedia, MessageRecord } from '../conversations/conversation.types';
import { ConversationsService } from '../conversations/conversations.service';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import { MediaDownloadsRepository, type MediaDownloadJob } from './media-downloads.repository';
import { MediaFilesRepository } from './media-files.repository';
import { mediaResponseHeaders, type MediaResponseHeaders } from './media-serving';
import { sniffMediaType } from './media-sniff';
import type { StoredMediaFile } from './media.types';

/** How one download attempt ended. */
export type MediaDownloadOutcome =
  | { state: 'stored'; file: StoredMediaFile }
  | { state: 'failed'; code: MediaFailureCode; detail: string | null }
  | { state: 'retry'; error: string; retryAfterMs?: number };

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Message files: inbound media downloaded once from Meta and kept in GridFS (Meta forgets a media
 * id after about 7 days), served to the dashboard safely, and removed or exported with their
 * messages.
 */
@Injectable()
export class MediaService {
  private readonly logger = new Logger('MediaService');

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly files: MediaFilesRepository,
    private readonly downloads: MediaDownloadsRepository,
    private readonly conversations: ConversationsService,
    private readonly integrations: IntegrationRouting,
    private readonly graph: GraphClientFactory,
  ) {}

  /** Queues the download of an inbound message's file (once per message). */
  async enqueueDownload(
    message: MessageRecord,
    integration: { id: string; phoneNumberId: string },
  ): Promise<boolean> {
    if (!message.media?.id || message.media.state === 'stored') return false;
    return this.downloads.enqueue(
      {
        _id: message.id,
        workspaceId: message.workspaceId,
        conversationId: message.conversationId,
        integrationId: integration.id,
        phoneNumberId: integration.phoneNumberId,
        mediaId: message.media.id,
      },
      this.clock.now(),
    );
  }

  /**
   * Downloads a message's file from Meta and keeps it; a file already kept is returned as is.
   * Never throws for Meta's or the network's failures: they come back as an outcome.
   */
  async fetchAndStore(
    job: Pick<MediaDownloadJob, '_id' | 'workspaceId' | 'phoneNumberId' | 'mediaId'>,
  ): Promise<MediaDownloadOutcome> {
    const message = await this.conversations.getMessage(job.workspaceId, job._id);
    const media = message.media;
    if (!media) return { state: 'failed', code: 'MEDIA_DOWNLOAD_FAILED', detail: null };
    const kept = await this.files.find(job.workspaceId, job._id);
    if (kept) return { state: 'stored', file: kept };
    const integration = await this.integrations.findByPhoneNumberId(job.phoneNumberId);
    if (!integration || integration.workspaceId !== job.workspaceId) {
      return { state: 'failed', code: 'NO_INTEGRATION', detail: null };
    }
    let data: Buffer;
    let metaType: string | undefined;
    const limit = MEDIA_LIMITS[media.kind].maxBytes;
    try {
      const client = this.graph.forToken(integration.accessToken);
      const guard = { phoneNumberId: job.phoneNumberId };
      // Meta states the size first: a file over the kind's limit is never downloaded.
      const info = await client.getMediaUrl(job.mediaId, guard);
      if (info.fileSize !== undefined && info.fileSize > limit) {
        return { state: 'failed', code: 'MEDIA_TOO_LARGE', detail: null };
      }
      const downloaded = await client
        .downloadMedia(info.url)
        // The URL lasts 5 minutes: on a 404, a fresh one (what downloadMediaById does).
        .catch((error: unknown) => {
          if (error instanceof GraphApiError && error.httpStatus === 404) {
            return client.downloadMediaById(job.mediaId, guard);
          }
          throw error;
        });
      data = downloaded.data;
      metaType = info.mimeType ?? downloaded.contentType;
    } catch (error) {
      if (!(error instanceof GraphApiError)) {
        return { state: 'retry', error: describe(error) };
      }
      const detail = metaWordsOf(error) ?? null;
      // The client stops reading past Meta's largest file (100 MB).
      if (/maxContentLength|maxBodyLength/.test(error.message)) {
        return { state: 'failed', code: 'MEDIA_TOO_LARGE', detail: null };
      }
      // The media id is gone at Meta (older than ~7 days, or never ours), or its URL answers 404.
      if (error.errorType === 'MEDIA_ERROR' || error.httpStatus === 404) {
        return { state: 'failed', code: 'MEDIA_EXPIRED', detail };
      }
      if (error.retryable || error.networkCode) {
        return {
          state: 'retry',
          error: `${error.errorType}: ${error.message}`,
          retryAfterMs: error.retryAfterMs,
        };
      }
      return { state: 'failed', code: 'MEDIA_DOWNLOAD_FAILED', detail };
    }
    if (data.length > limit) {
      return { state: 'failed', code: 'MEDIA_TOO_LARGE', detail: null };
    }
    const sniffedType = sniffMediaType(data, media.kind);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const file = await this.files.store({
      workspaceId: message.workspaceId,
      messageId: message.id,
      conversationId: message.conversationId,
      kind: media.kind,
      fileName: media.fileName ?? `${media.kind}-${message.id}`,
      sha256,
      declaredType: media.mimeType ?? metaType ?? null,
      sniffedType,
      messageCreatedAt: message.createdAt,
      data,
    });
    await this.conversations.updateMedia(message.workspaceId, message.id, {
      state: 'stored',
      size: file.size,
      sha256: file.sha256,
      ...(file.sniffedType ? { sniffedType: file.sniffedType } : {}),
    });
    return { state: 'stored', file };
  }

  /**
   * The message's file, downloaded now if the queued download has not run yet (a voice note's
   * transcript needs it before the reply); null when it cannot be had. The queued job then finds
   * the file kept and ends.
   */
  async ensureStored(
    workspaceId: WorkspaceId,
    messageId: string,
  ): Promise<{ file: StoredMediaFile; data: Buffer } | null> {
    const kept = await this.files.find(workspaceId, messageId);
    if (kept) return { file: kept, data: await this.files.read(kept) };
    const job = await this.downloads.find(workspaceId, messageId);
    if (!job || job.state !== 'pending') return null;
    const outcome = await this.fetchAndStore(job);
    if (outcome.state !== 'stored') return null;
    return { file: outcome.file, data: await this.files.read(outcome.file) };
  }

  /**
   * Checks a file an agent sends against Meta's limits (the shared rule of `libs/contracts`) and
   * describes it for its message. The bytes decide: an image, audio or video must sniff as one of
   * its kind's types (a mismatch would be refused by Meta with 131053), a document must be
   * declared as one Meta takes. Throws 413, 415 or 400 with the rule's code as `reason`.
   */
  describeOutbound(
    file: { data: Buffer; mimeType: string; fileName: string },
    caption?: string,
  ): MessageMedia {
    const declared = baseMimeType(file.mimeType);
    const sniffed = sniffMediaType(file.data, declared.startsWith('audio/') ? 'audio' : undefined);
    const kind = mediaKindOfMime(sniffed ?? declared);
    // A document's type cannot be read from its bytes: its declared type is all there is to check.
    // An image, audio or video is what its bytes are, or nothing Meta takes.
    const mimeType = kind === 'document' ? declared : (sniffed ?? 'application/octet-stream');
    const rule = checkMediaFile(kind, { mimeType, size: file.data.length });
    if (rule === 'MEDIA_TOO_LARGE') {
      throw new AppError('PAYLOAD_TOO_LARGE', `The file is over WhatsApp's limit for ${kind}`, {
        reason: rule,
        maxBytes: MEDIA_LIMITS[kind].maxBytes,
      });
    }
    if (rule === 'MEDIA_TYPE_NOT_ALLOWED') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'WhatsApp does not take this type of file', {
        reason: rule,
      });
    }
    if (rule === 'MEDIA_EMPTY') {
      throw new AppError('VALIDATION_FAILED', 'The file is empty', { reason: rule });
    }
    return {
      kind,
      mimeType,
      fileName: file.fileName,
      ...(caption ? { caption } : {}),
      state: 'stored',
      size: file.data.length,
      ...(sniffed ? { sniffedType: sniffed } : {}),
      sha256: createHash('sha256').update(file.data).digest('hex'),
    };
  }

  /** Keeps the copy of a file an agent sent (under its message's id). */
  async keepOutbound(message: MessageRecord, data: Buffer): Promise<StoredMediaFile> {
    const media = message.media;
    if (!media) throw new Error('an outbound file without media');
    return this.files.store({
      workspaceId: message.workspaceId,
      messageId: message.id,
      conversationId: message.conversationId,
      kind: media.kind,
      fileName: media.fileName ?? `${media.kind}-${message.id}`,
      sha256: media.sha256 ?? createHash('sha256').update(data).digest('hex'),
      declaredType: media.mimeType ?? null,
      sniffedType: media.sniffedType ?? null,
      messageCreatedAt: message.createdAt,
      data,
    });
  }

  /** Records on the message that its file could not be kept, with Meta's reason. */
  async recordFailure(
    workspaceId: WorkspaceId,
    messageId: string,
    code: MediaFailureCode,
    detail: string | null,
  ): Promise<void> {
    await this.conversations.updateMedia(workspaceId, messageId, {
      state: 'failed',
      failureCode: code,
      ...(detail ? { failureDetail: detail.slice(0, 500) } : {}),
    });
  }

  /** A message's kept file and how to serve it; 404 when there is none (yet). */
  async open(
    workspaceId: WorkspaceId,
    messageId: string,
  ): Promise<{ file: StoredMediaFile; headers: MediaResponseHeaders; stream: Readable }> {
    const file = await this.files.find(workspaceId, messageId);
    if (!file) throw AppError.notFound('Media');
    return { file, headers: mediaResponseHeaders(file), stream: this.files.open(file) };
  }

  /** The bytes of a message's kept file, or null. */
  async read(
    workspaceId: WorkspaceId,
    messageId: string,
  ): Promise<{ file: StoredMediaFile; data: Buffer } | null> {
    const file = await this.files.find(workspaceId, messageId);
    return file ? { file, data: await this.files.read(file) } : null;
  }

  /** A contact's export: every kept file of these conversations. */
  async exportConversations(
    workspaceId: WorkspaceId,
    conversationIds: string[],
  ): Promise<ContactExportFile[]> {
    const found = await this.files.listForConversations(workspaceId, conversationIds);
    const out: ContactExportFile[] = [];
    for (const file of found) {
      const data = await this.files.read(file);
      out.push({
        messageId: file.messageId,
        fileName: file.fileName,
        size: file.size,
        sha256: file.sha256,
        sniffedType: file.sniffedType,
        dataBase64: data.toString('base64'),
      });
    }
    return out;
  }

  /** Erasure: the files (and pending downloads) of these conversations; returns the files removed. */
  async eraseConversations(workspaceId: WorkspaceId, conversationIds: string[]): Promise<number> {
    await this.downloads.deleteForConversations(workspaceId, conversationIds);
    return this.files.deleteForConversations(workspaceId, conversationIds);
  }

  /** Retention, every workspace: files of messages older than `cutoff`. */
  async purgeOlderThan(cutoff: Date, batchSize: number, maxBatches = 1000): Promise<number> {
    let deleted = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const n = await this.files.deleteCreatedBeforeAllWorkspaces(cutoff, batchSize);
      deleted += n;
      if (n < batchSize) break;
    }
    await this.downloads.deleteFinishedBeforeAllWorkspaces(cutoff);
    if (deleted > 0) this.logger.log({ deleted }, 'retention removed media files');
    return deleted;
  }
}
