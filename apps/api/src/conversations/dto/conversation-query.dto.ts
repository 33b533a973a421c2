import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  CHANNELS,
  CONVERSATION_PAGE,
  CONVERSATION_QUERY_RULES,
  CONVERSATION_STATUSES,
  MESSAGE_PAGE,
} from '@conecta/contracts';
import type { Channel, ConversationListQuery, ConversationStatus } from '@conecta/contracts';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';

const RULES = CONVERSATION_QUERY_RULES;

/** `true`/`false` in a query string become booleans; anything else stays and fails validation. */
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class CountsQueryDto {
  @ApiPropertyOptional({ description: 'Only this chatbot' })
  @IsOptional()
  @IsString()
  @MaxLength(RULES.chatbotId.maxLength)
  @Matches(RULES.chatbotId.pattern)
  chatbotId?: string;
}

export class ListConversationsQueryDto extends CountsQueryDto implements ConversationListQuery {
  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES })
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  favorite?: boolean;

  @ApiPropertyOptional({ description: '`mine`, `unassigned`, or a user id' })
  @IsOptional()
  @IsString()
  @Matches(/^(mine|unassigned|[a-f0-9]{24})$/, {
    message: 'must be mine, unassigned or a user id',
  })
  assignee?: string;

  @ApiPropertyOptional({ description: 'Contact name or message text (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(RULES.q.maxLength)
  @Matches(RULES.q.pattern, { message: RULES.q.patternMessage })
  q?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(RULES.cursor.maxLength)
  @Matches(RULES.cursor.pattern)
  cursor?: string;

  @ApiPropertyOptional({
    minimum: 1,
    default: CONVERSATION_PAGE.defaultLimit,
    description: `Capped at ${CONVERSATION_PAGE.maxLimit}`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;
}

export class ListMessagesQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page (older messages)' })
  @IsOptional()
  @IsString()
  @MaxLength(RULES.cursor.maxLength)
  @Matches(RULES.cursor.pattern)
  cursor?: string;

  @ApiPropertyOptional({
    minimum: 1,
    default: MESSAGE_PAGE.defaultLimit,
    description: `Capped at ${MESSAGE_PAGE.maxLimit}`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;
}
