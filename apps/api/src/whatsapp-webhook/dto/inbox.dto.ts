import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  INBOX_EVENT_KINDS,
  INBOX_PAGE,
  INBOX_STATES,
  type InboxEventKind,
  type InboxEventView,
  type InboxListQuery,
  type InboxListResponse,
  type InboxState,
  type MessageRetryResponse,
} from '@conecta/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class InboxListQueryDto implements InboxListQuery {
  @ApiPropertyOptional({ enum: INBOX_STATES })
  @IsOptional()
  @IsIn(INBOX_STATES)
  state?: InboxState;

  @ApiPropertyOptional({ minimum: 1, maximum: INBOX_PAGE.maxLimit })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INBOX_PAGE.maxLimit)
  limit?: number;
}

/** An id path parameter: a 24-hex object id. Anything else is a 400. */
export class IdParamDto {
  @ApiProperty({ pattern: '^[a-f0-9]{24}$' })
  @Matches(/^[a-f0-9]{24}$/, { message: 'id must be an object id' })
  id!: string;
}

export class InboxEventDto implements InboxEventView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: INBOX_EVENT_KINDS }) kind!: InboxEventKind;
  @ApiProperty({ enum: INBOX_STATES }) state!: InboxState;
  @ApiProperty() externalId!: string;
  @ApiProperty({ type: String, nullable: true }) status!: string | null;
  @ApiProperty() phoneNumberId!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty() receivedAt!: string;
  @ApiProperty() runAt!: string;
  @ApiProperty({ type: String, nullable: true }) processedAt!: string | null;
}

export class InboxListResponseDto implements InboxListResponse {
  @ApiProperty({ type: [InboxEventDto] }) items!: InboxEventDto[];
}

export class MessageRetryResponseDto implements MessageRetryResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['pending'] }) deliveryStatus!: 'pending';
  @ApiProperty() externalMessageId!: string;
}
