import { ApiProperty } from '@nestjs/swagger';
import { CHANNELS } from '@conecta/contracts';
import type { Channel } from '@conecta/contracts';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';

export class ContactParamsDto {
  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiProperty({ description: 'The WhatsApp number (digits) or the web session id' })
  @IsString()
  @MaxLength(128)
  @Matches(/^[A-Za-z0-9_+-]+$/)
  visitorId!: string;
}
