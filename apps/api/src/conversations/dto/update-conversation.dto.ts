import { ApiPropertyOptional } from '@nestjs/swagger';
import { CONVERSATION_STATUSES } from '@conecta/contracts';
import type { ConversationStatus, UpdateConversationRequest } from '@conecta/contracts';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export class UpdateConversationDto implements UpdateConversationRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isFavorite?: boolean;

  @ApiPropertyOptional({
    enum: CONVERSATION_STATUSES,
    description: '`closed` closes, `open` reopens',
  })
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;
}
