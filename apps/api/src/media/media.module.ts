import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { RespondersModule } from '../responders/responders.module';
import { MediaDownloadWorker } from './media-download.worker';
import { MediaInbound } from './media-inbound.service';
import { MediaDownloadsRepository } from './media-downloads.repository';
import { MediaFilesRepository } from './media-files.repository';
import { MediaController } from './media.controller';
import { MediaService } from './media.service';

/**
 * Message files: kept in GridFS (downloaded from Meta on arrival by {@link MediaDownloadWorker}),
 * served safely at `GET /api/v1/messages/:id/media`, exported and erased with their contact.
 */
@Module({
  imports: [ConversationsModule, IntegrationsModule, RespondersModule],
  controllers: [MediaController],
  providers: [
    MediaFilesRepository,
    MediaDownloadsRepository,
    MediaService,
    MediaDownloadWorker,
    MediaInbound,
  ],
  exports: [MediaService, MediaDownloadWorker, MediaInbound],
})
export class MediaModule {}
