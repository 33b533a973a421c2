import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { RespondersModule } from '../responders/responders.module';
import { ConversationTurnService } from './conversation-turn.service';

/** The chatbot's turn (history → responder → stored reply), shared by the web and WhatsApp channels. */
@Module({
  imports: [ConversationsModule, RespondersModule],
  providers: [ConversationTurnService],
  exports: [ConversationTurnService],
})
export class ConversationTurnModule {}
