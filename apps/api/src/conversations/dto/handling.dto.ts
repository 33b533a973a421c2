import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BOT_STATES } from '@conecta/contracts';
import type { AssignConversationRequest, BotState, BotSwitchRequest } from '@conecta/contracts';
import { IsDateString, IsIn, IsOptional, Matches, ValidateIf } from 'class-validator';

export class AssignConversationDto implements AssignConversationRequest {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'A user of the workspace; null unassigns',
  })
  @ValidateIf((_, v) => v !== null)
  @Matches(/^[a-f0-9]{24}$/, { message: 'must be a user id' })
  userId!: string | null;
}

export class BotSwitchRequestDto implements BotSwitchRequest {
  @ApiProperty({ enum: BOT_STATES })
  @IsIn(BOT_STATES)
  state!: BotState;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'With `paused`: when the bot resumes by itself (omitted or null: never)',
  })
  @IsOptional()
  @IsDateString()
  pausedUntil?: string | null;
}
