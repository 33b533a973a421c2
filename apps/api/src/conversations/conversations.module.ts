import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MongooseModule } from '@nestjs/mongoose';
import { Conversation, ConversationSchema } from './conversation.schema';
import { ConversationsController } from './conversations.controller';
import { ConversationCountersRepository } from './conversation-counters.repository';
import { ConversationReadsRepository } from './conversation-reads.repository';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { MessagePartsRepository } from './message-parts.repository';
import { MessagePartsService } from './message-parts.service';
import { Message, MessageSchema } from './message.schema';
import { MessagesRepository } from './messages.repository';
import { SearchTerm, SearchTermSchema } from './search-term.schema';
import { SearchTermsRepository } from './search-terms.repository';

/**
 * Conversations and messages of every channel. Exports {@link ConversationsService} for the web
 * channel and the WhatsApp webhook. A person's export and erasure and the retention job live in
 * `ContactsModule`, since they also reach the WhatsApp inbox.
 */
@Module({
  imports: [
    AccountsModule,
    MongooseModule.forFeature([
      { name: Conversation.name, schema: ConversationSchema },
      { name: Message.name, schema: MessageSchema },
      { name: SearchTerm.name, schema: SearchTermSchema },
    ]),
  ],
  controllers: [ConversationsController],
  providers: [
    ConversationsRepository,
    ConversationCountersRepository,
    MessagesRepository,
    SearchTermsRepository,
    ConversationReadsRepository,
    ConversationsService,
    MessagePartsRepository,
    MessagePartsService,
  ],
  exports: [ConversationsService, MessagePartsService],
})
export class ConversationsModule {}
