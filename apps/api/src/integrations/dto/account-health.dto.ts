import { ApiProperty } from '@nestjs/swagger';
import { ACCOUNT_STANDINGS, type AccountHealth, type AccountStanding } from '@conecta/contracts';

type Of<K extends keyof AccountHealth> = NonNullable<AccountHealth[K]>;
type Item<K extends keyof AccountHealth> = Of<K> extends (infer T)[] ? T : never;

const text = { type: String, nullable: true } as const;

export class QualityNoticeDto implements Of<'quality'> {
  @ApiProperty({ example: 'DOWNGRADE', description: "Meta's phone_number_quality_update event" })
  event!: string;
  @ApiProperty({ ...text, example: 'TIER_250' }) limit!: string | null;
  @ApiProperty(text) oldLimit!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class RestrictionDto {
  @ApiProperty({ example: 'RESTRICTED_BIZ_INITIATED_MESSAGING' }) type!: string;
  @ApiProperty(text) expiration!: string | null;
}

export class StandingDto implements Of<'standing'> {
  @ApiProperty({ enum: ACCOUNT_STANDINGS }) state!: AccountStanding;
  @ApiProperty({ example: 'ACCOUNT_RESTRICTION' }) event!: string;
  @ApiProperty({ type: [RestrictionDto] }) restrictions!: RestrictionDto[];
  @ApiProperty(text) banState!: string | null;
  @ApiProperty(text) banDate!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class ViolationDto implements Of<'violation'> {
  @ApiProperty() type!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class AlertDto implements Item<'alerts'> {
  @ApiProperty({ example: 'OBA_REJECTED' }) type!: string;
  @ApiProperty(text) severity!: string | null;
  @ApiProperty({ ...text, description: "Meta's own description" }) description!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class TemplateNoticeDto implements Item<'templates'> {
  @ApiProperty(text) name!: string | null;
  @ApiProperty(text) language!: string | null;
  @ApiProperty({ example: 'REJECTED' }) event!: string;
  @ApiProperty(text) reason!: string | null;
  @ApiProperty({ ...text, description: "Meta's own explanation" }) detail!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class DisplayNameDto implements Of<'displayName'> {
  @ApiProperty({ example: 'APPROVED' }) decision!: string;
  @ApiProperty(text) requestedName!: string | null;
  @ApiProperty(text) rejectionReason!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class VerificationDto implements Of<'verification'> {
  @ApiProperty() status!: string;
  @ApiProperty({ type: [String] }) rejections!: string[];
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** What Meta's management webhooks said about the account and number (Meta's codes). */
export class AccountHealthDto implements AccountHealth {
  @ApiProperty({ type: QualityNoticeDto, nullable: true }) quality!: QualityNoticeDto | null;
  @ApiProperty({ type: StandingDto, nullable: true }) standing!: StandingDto | null;
  @ApiProperty({ type: ViolationDto, nullable: true }) violation!: ViolationDto | null;
  @ApiProperty({ type: [AlertDto] }) alerts!: AlertDto[];
  @ApiProperty({ type: [TemplateNoticeDto] }) templates!: TemplateNoticeDto[];
  @ApiProperty({ type: DisplayNameDto, nullable: true }) displayName!: DisplayNameDto | null;
  @ApiProperty({ type: VerificationDto, nullable: true }) verification!: VerificationDto | null;
}
