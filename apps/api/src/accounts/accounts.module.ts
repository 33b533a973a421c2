import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { FirstRunService } from './first-run.service';
import { ChatbotsModule } from '../chatbots/chatbots.module';
import { USER_MODEL, UserSchema } from './user.schema';
import { WORKSPACE_MODEL, WorkspaceSchema } from './workspace.schema';

@Module({
  imports: [
    ChatbotsModule,
    MongooseModule.forFeature([
      { name: WORKSPACE_MODEL, schema: WorkspaceSchema },
      { name: USER_MODEL, schema: UserSchema },
    ]),
  ],
  providers: [AccountsRepository, AccountsService, FirstRunService],
  exports: [AccountsService, FirstRunService],
})
export class AccountsModule {}
