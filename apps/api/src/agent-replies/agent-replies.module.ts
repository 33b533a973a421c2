import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ChatbotsModule } from '../chatbots/chatbots.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { MediaModule } from '../media/media.module';
import { TemplatesModule } from '../templates/templates.module';
import { WhatsAppWebhookModule } from '../whatsapp-webhook/whatsapp-webhook.module';
import { AgentRepliesController, TemplateStartController } from './agent-replies.controller';
import { AgentRepliesService } from './agent-replies.service';

/** Team members answer conversations beside the bot. */
@Module({
  imports: [
    AccountsModule,
    ChatbotsModule,
    ConversationsModule,
    IntegrationsModule,
    MediaModule,
    TemplatesModule,
    WhatsAppWebhookModule,
  ],
  controllers: [AgentRepliesController, TemplateStartController],
  providers: [AgentRepliesService],
})
export class AgentRepliesModule {}
