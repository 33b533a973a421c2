import { Module } from '@nestjs/common';
import { ChatbotsModule } from '../chatbots/chatbots.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { ConversationTurnModule } from '../conversation-turn/conversation-turn.module';
import { PublicChatRateLimitGuard } from './public-chat-rate-limit.guard';
import { WebChatController } from './web-chat.controller';
import { WebChatService } from './web-chat.service';

/** The `web` channel: the chatbot's public chat endpoint (site widget, dashboard test chat). */
@Module({
  imports: [ChatbotsModule, ConversationsModule, ConversationTurnModule],
  controllers: [WebChatController],
  providers: [WebChatService, PublicChatRateLimitGuard],
})
export class WebChatModule {}
