import { ApiProperty } from '@nestjs/swagger';
import { AGENT_MESSAGE_RULES } from '@conecta/contracts';
import type { AgentMessageRequest } from '@conecta/contracts';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';

const R = AGENT_MESSAGE_RULES;

export class AgentMessageDto implements AgentMessageRequest {
  @ApiProperty({
    maxLength: R.content.maxLength,
    description: 'One WhatsApp text message: longer text is refused, never split',
  })
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(R.content.minLength)
  @MaxLength(R.content.maxLength)
  content!: string;
}
