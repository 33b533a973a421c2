import { ApiProperty } from '@nestjs/swagger';
import {
  AcceptInvitationRequest,
  AUTH_RULES,
  CreatedInvitationResponse,
  CreateInvitationRequest,
  InvitationPreview,
  InvitationView,
  ROLES,
  Role,
  TEAM_RULES,
  TeamUserView,
  UpdateUserRequest,
} from '@conecta/contracts';
import { IsIn } from 'class-validator';
import { FollowsRule } from '../../common/rule-decorators';

export class TeamUserDto implements TeamUserView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ description: 'False while deactivated' }) active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class UpdateUserDto implements UpdateUserRequest {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class CreateInvitationDto implements CreateInvitationRequest {
  @ApiProperty({ example: 'ana@example.com', maxLength: AUTH_RULES.email.maxLength })
  @FollowsRule(AUTH_RULES.email)
  email!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class InvitationDto implements InvitationView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, nullable: true }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class CreatedInvitationDto extends InvitationDto implements CreatedInvitationResponse {
  @ApiProperty({ description: "The link's single-use token: shown only in this answer" })
  token!: string;
}

export class InvitationPreviewDto implements InvitationPreview {
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() workspaceName!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class AcceptInvitationDto implements AcceptInvitationRequest {
  @ApiProperty({ maxLength: TEAM_RULES.invitationToken.maxLength })
  @FollowsRule(TEAM_RULES.invitationToken)
  token!: string;

  @ApiProperty({ maxLength: TEAM_RULES.userName.maxLength })
  @FollowsRule(TEAM_RULES.userName)
  name!: string;

  @ApiProperty({ format: 'password', minLength: AUTH_RULES.newPassword.minLength })
  @FollowsRule(AUTH_RULES.newPassword)
  password!: string;
}
