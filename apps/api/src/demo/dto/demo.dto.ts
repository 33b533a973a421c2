import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  DEMO_MAX_HOURS_AGO,
  DEMO_NOTICE_KINDS,
  DEMO_RULES,
  type DemoNoticeInput,
  type DemoNoticeKind,
  type DemoNoticeResult,
  DemoInboundInput,
  DemoInboundResult,
  INTEGRATION_RULES,
} from '@conecta/contracts';
import { FollowsRule } from '../../common/rule-decorators';

export class DemoInboundDto implements DemoInboundInput {
  @ApiPropertyOptional({ description: 'Defaults to the chatbot the demo number is connected to' })
  @FollowsRule({ ...INTEGRATION_RULES.chatbotId, required: false })
  chatbotId?: string;

  @ApiProperty({ example: '34600000001' })
  @FollowsRule(DEMO_RULES.from)
  from!: string;

  @ApiProperty({ example: 'Hola, ¿a qué hora abrís?' })
  @FollowsRule(DEMO_RULES.text)
  text!: string;

  @ApiPropertyOptional({ example: 'Lucía' })
  @FollowsRule(DEMO_RULES.contactName)
  contactName?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: DEMO_MAX_HOURS_AGO,
    description: 'Dates the message this many hours ago: past 24 the window is closed',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(DEMO_MAX_HOURS_AGO)
  hoursAgo?: number;
}

export class DemoInboundResultDto implements DemoInboundResult {
  @ApiProperty() wamid!: string;
  @ApiProperty({ description: 'What our webhook answered the fake Meta' }) webhookStatus!: number;
}

export class DemoInfoDto {
  @ApiProperty() enabled!: boolean;
  @ApiPropertyOptional() phoneNumberId?: string;
  @ApiPropertyOptional() businessAccountId?: string;
  @ApiPropertyOptional() accessToken?: string;
  @ApiPropertyOptional() appSecret?: string;
  @ApiPropertyOptional() displayPhoneNumber?: string;
}

export class DemoNoticeDto implements DemoNoticeInput {
  @ApiProperty({ enum: DEMO_NOTICE_KINDS })
  @IsIn(DEMO_NOTICE_KINDS, { message: `kind must be one of ${DEMO_NOTICE_KINDS.join(', ')}` })
  kind!: DemoNoticeKind;
}

export class DemoNoticeResultDto implements DemoNoticeResult {
  @ApiProperty({ description: 'What our webhook answered the fake Meta' }) webhookStatus!: number;
}
