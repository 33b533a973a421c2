import { Module } from '@nestjs/common';
import { AccountNoticesRepository } from './account-notices.repository';
import { AccountNoticesService } from './account-notices.service';

/** What Meta's management webhooks say about each integration's account and number. */
@Module({
  providers: [AccountNoticesRepository, AccountNoticesService],
  exports: [AccountNoticesService],
})
export class AccountNoticesModule {}
