import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { FIRST_RUN_OUTPUT, FirstRunService } from './first-run.service';
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
  providers: [
    AccountsRepository,
    AccountsService,
    FirstRunService,
    {
      provide: FIRST_RUN_OUTPUT,
      useValue: (line: string): void => {
        process.stdout.write(`${line}\n`);
      },
    },
  ],
  exports: [AccountsService],
})
export class AccountsModule {}
