import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AUDIT_OUTCOMES,
  AUDIT_PAGE_MAX,
  AuditEntryView,
  AuditOutcome,
  AuditPage,
} from '@conecta/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ example: 'chatbot.update' })
  @IsOptional()
  @Matches(/^[a-zA-Z]+\.[a-zA-Z.]+$/)
  @MaxLength(80)
  action?: string;
}

class AuditActorDto {
  @ApiProperty({ enum: ['user', 'apiKey', 'anonymous'] }) type!: 'user' | 'apiKey' | 'anonymous';
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiProperty({ type: String, nullable: true }) apiKeyId!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The user's or API key's name now" })
  name!: string | null;
}

class AuditTargetDto {
  @ApiProperty() type!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'What the target is called now' })
  name!: string | null;
}

export class AuditEntryDto implements AuditEntryView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'auth.login', description: 'One of AUDIT_ACTIONS' }) action!: string;
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome!: AuditOutcome;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ type: AuditTargetDto, nullable: true }) target!: AuditTargetDto | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AuditPageDto implements AuditPage {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
