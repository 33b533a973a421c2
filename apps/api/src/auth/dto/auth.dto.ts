import { ApiProperty } from '@nestjs/swagger';
import {
  AUTH_RULES,
  ChangePasswordRequest,
  LoginRequest,
  MeResponse,
  ROLES,
  Role,
} from '@conecta/contracts';
import { FollowsRule } from '../../common/rule-decorators';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'admin@conecta.local', maxLength: AUTH_RULES.email.maxLength })
  @IsString()
  @MaxLength(AUTH_RULES.email.maxLength)
  @Matches(AUTH_RULES.email.pattern, { message: AUTH_RULES.email.patternMessage })
  email!: string;

  @ApiProperty({ format: 'password', maxLength: AUTH_RULES.password.maxLength })
  @IsString()
  @MinLength(AUTH_RULES.password.minLength)
  @MaxLength(AUTH_RULES.password.maxLength)
  password!: string;
}

class MeUserDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

class MeWorkspaceDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class MeDto implements MeResponse {
  @ApiProperty({ type: MeUserDto }) user!: MeUserDto;
  @ApiProperty({ type: MeWorkspaceDto }) workspace!: MeWorkspaceDto;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ format: 'password', maxLength: AUTH_RULES.password.maxLength })
  @FollowsRule(AUTH_RULES.password)
  currentPassword!: string;

  @ApiProperty({ format: 'password', minLength: AUTH_RULES.newPassword.minLength })
  @FollowsRule(AUTH_RULES.newPassword)
  newPassword!: string;
}
