import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { TemplatesModule } from '../templates/templates.module';
import { RateCardRepository } from './rate-card.repository';
import { RateCardService } from './rate-card.service';
import { UsageController } from './usage.controller';
import { UsageService } from './usage.service';

/** What WhatsApp charges for: delivered messages per number and month, from Meta's pricing. */
@Module({
  imports: [ConversationsModule, TemplatesModule],
  controllers: [UsageController],
  providers: [UsageService, RateCardRepository, RateCardService],
})
export class UsageModule {}
