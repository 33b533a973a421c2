import { Module } from '@nestjs/common';
import { AccountNoticesModule } from '../account-notices/account-notices.module';
import { ChatbotsModule } from '../chatbots/chatbots.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { ConversationTurnModule } from '../conversation-turn/conversation-turn.module';
import { MediaModule } from '../media/media.module';
import { TemplatesModule } from '../templates/templates.module';
import { InboxController } from './inbox.controller';
import { InboxClock } from './inbox-clock';
import { InboxProcessor } from './inbox.processor';
import { InboxRepository } from './inbox.repository';
import { InboxService } from './inbox.service';
import { InboxWorker } from './inbox.worker';
import { MessageDeliveryService } from './message-delivery.service';
import { MessagesController } from './messages.controller';
import { OutboundService } from './outbound.service';
import { NumberThrottleService } from './number-throttle.service';
import { NumberThrottlesRepository } from './number-throttles.repository';
import { WebhookEnabledGuard } from './webhook-enabled.guard';
import { WebhookRateLimitGuard } from './webhook-rate-limit.guard';
import { WebhookSignatureGuard } from './webhook-signature.guard';
import { WhatsAppWebhookController } from './whatsapp-webhook.controller';
import { WhatsAppWebhookService } from './whatsapp-webhook.service';

/**
 * WhatsApp's way in: the verified webhook, the durable inbox and its workers, and the reply on
 * WhatsApp (see docs/decisions/0003-durable-inbox.md).
 */
@Module({
  imports: [
    IntegrationsModule,
    ChatbotsModule,
    ConversationsModule,
    ConversationTurnModule,
    AccountNoticesModule,
    MediaModule,
    TemplatesModule,
  ],
  controllers: [WhatsAppWebhookController, InboxController, MessagesController],
  providers: [
    WhatsAppWebhookService,
    WebhookEnabledGuard,
    WebhookRateLimitGuard,
    WebhookSignatureGuard,
    InboxRepository,
    InboxService,
    InboxProcessor,
    InboxClock,
    InboxWorker,
    MessageDeliveryService,
    OutboundService,
    NumberThrottlesRepository,
    NumberThrottleService,
  ],
  exports: [InboxWorker, InboxRepository, InboxService, InboxClock],
})
export class WhatsAppWebhookModule {}
