import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { USER_MODEL, UserSchema } from './user.schema';
import { WORKSPACE_MODEL, WorkspaceSchema } from './workspace.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WORKSPACE_MODEL, schema: WorkspaceSchema },
      { name: USER_MODEL, schema: UserSchema },
    ]),
  ],
  providers: [AccountsRepository, AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}
