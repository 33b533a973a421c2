import { ApiProperty } from '@nestjs/swagger';
import { MONTH_PATTERN, type UsageQuery } from '@conecta/contracts';
import { IsMongoId, Matches } from 'class-validator';

export class UsageQueryDto implements UsageQuery {
  @ApiProperty({ description: 'The WhatsApp integration (number)' })
  @IsMongoId()
  integrationId!: string;

  @ApiProperty({ example: '2026-11', description: 'A month, YYYY-MM (UTC)' })
  @Matches(MONTH_PATTERN, { message: 'must be a month as YYYY-MM' })
  month!: string;
}
