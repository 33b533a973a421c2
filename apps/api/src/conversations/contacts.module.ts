import { Module } from '@nestjs/common';
import { MediaModule } from '../media/media.module';
import { WhatsAppWebhookModule } from '../whatsapp-webhook/whatsapp-webhook.module';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { ConversationsModule } from './conversations.module';
import { RetentionJob } from './retention.job';

/**
 * What is stored about a person, across collections: export, erasure (conversations, messages, the
 * WhatsApp inbox with its dead letters, audit details) and the retention job. The job's schedule
 * needs `ScheduleModule.forRoot()` in the root module.
 */
@Module({
  imports: [ConversationsModule, WhatsAppWebhookModule, MediaModule],
  controllers: [ContactsController],
  providers: [ContactsService, RetentionJob],
})
export class ContactsModule {}
