import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PUBLIC_CHAT_RULES } from '@conecta/contracts';
import type {
  PublicChatPollResponse,
  PublicChatRequest,
  PublicChatResponse,
} from '@conecta/contracts';
import {
  IsDateString,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

import { FollowsRule } from '../../common/rule-decorators';

const RULES = PUBLIC_CHAT_RULES;

export class PublicChatDto implements PublicChatRequest {
  @ApiPropertyOptional({
    description: 'Omit on the first message; send back the returned one afterwards',
  })
  @IsOptional()
  @IsString()
  @MinLength(RULES.sessionId.minLength)
  @MaxLength(RULES.sessionId.maxLength)
  @Matches(RULES.sessionId.pattern, { message: RULES.sessionId.patternMessage })
  sessionId?: string;

  @ApiProperty({ maxLength: RULES.content.maxLength })
  @IsString()
  @IsNotEmpty()
  @Matches(/\S/, { message: 'must not be blank' })
  @MaxLength(RULES.content.maxLength)
  content!: string;
}

export class PublicChatPollQueryDto {
  @ApiProperty()
  @FollowsRule({ ...RULES.sessionId, required: true })
  sessionId!: string;

  @ApiProperty({ format: 'date-time', description: 'Replies written after this time' })
  @IsDateString()
  after!: string;
}

class PublicChatReplyDto {
  @ApiProperty() id!: string;
  @ApiProperty() content!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class PublicChatResponseDto implements PublicChatResponse {
  @ApiProperty() sessionId!: string;
  @ApiProperty({ type: PublicChatReplyDto, nullable: true }) reply!: PublicChatReplyDto | null;
}

export class PublicChatPollResponseDto implements PublicChatPollResponse {
  @ApiProperty({ type: [PublicChatReplyDto] }) items!: PublicChatReplyDto[];
}
