import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AUTH_RULES,
  ApiKeyView,
  CreateApiKeyRequest,
  CreatedApiKeyResponse,
  ROLES,
  type Role,
} from '@conecta/contracts';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateApiKeyDto implements CreateApiKeyRequest {
  @ApiProperty({ maxLength: AUTH_RULES.apiKeyName.maxLength, example: 'CRM sync' })
  @IsString()
  @MinLength(AUTH_RULES.apiKeyName.minLength)
  @MaxLength(AUTH_RULES.apiKeyName.maxLength)
  name!: string;

  @ApiPropertyOptional({ enum: ROLES, default: 'agent' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export class ApiKeyDto implements ApiKeyView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'cnk_AbCd1234', description: 'First characters of the key, for display' })
  prefix!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, nullable: true }) createdBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) createdByKeyId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto implements CreatedApiKeyResponse {
  @ApiProperty({ description: 'The key itself: shown only in this answer' }) key!: string;
}
