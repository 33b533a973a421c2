import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuthModule } from '../auth/auth.module';
import {
  INVITATION_MODEL,
  INVITATION_USE_MODEL,
  InvitationSchema,
  InvitationUseSchema,
} from './invitation.schema';
import { InvitationsRepository } from './invitations.repository';
import {
  InvitationsController,
  PublicInvitationsController,
  UsersController,
} from './team.controller';
import { TeamService } from './team.service';

/** The people of a workspace: invitations, roles, deactivation and removal. */
@Module({
  imports: [
    AccountsModule,
    ApiKeysModule,
    AuthModule,
    MongooseModule.forFeature([
      { name: INVITATION_MODEL, schema: InvitationSchema },
      { name: INVITATION_USE_MODEL, schema: InvitationUseSchema },
    ]),
  ],
  controllers: [UsersController, InvitationsController, PublicInvitationsController],
  providers: [InvitationsRepository, TeamService],
})
export class TeamModule {}
