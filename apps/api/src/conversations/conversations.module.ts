import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { Conversation, ConversationSchema } from './conversation.schema';
import { ConversationsController } from './conversations.controller';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { Message, MessageSchema } from './message.schema';
import { RetentionJob } from './retention.job';

/**
 * Conversations and messages of every channel. Exports {@link ConversationsService} for the web
 * channel and the WhatsApp webhook. The retention job's schedule needs `ScheduleModule.forRoot()`
 * in the root module.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Conversation.name, schema: ConversationSchema },
      { name: Message.name, schema: MessageSchema },
    ]),
  ],
  controllers: [ConversationsController, ContactsController],
  providers: [ConversationsRepository, ConversationsService, ContactsService, RetentionJob],
  exports: [ConversationsService],
})
export class ConversationsModule {}
