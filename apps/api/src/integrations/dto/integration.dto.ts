import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AccountHealthDto } from './account-health.dto';
import {
  CONNECTION_CHECK_NOTES,
  CONNECTION_CHECKS,
  CONNECTION_FAILURE_REASONS,
  ConnectionCheckNote,
  ConnectionFailureReason,
  RetestIntegrationInput,
  ConnectionCheck,
  ConnectionCheckName,
  ConnectionDetails,
  ConnectionTestResult,
  CreateWhatsAppIntegrationInput,
  INTEGRATION_ERROR_TYPES,
  INTEGRATION_RULES,
  INTEGRATION_STATUSES,
  IntegrationErrorType,
  IntegrationField,
  IntegrationStatus,
  IntegrationStatusValue,
  PLATFORMS,
  Platform,
  TestWhatsAppCredentialsInput,
  UpdateIntegrationInput,
} from '@conecta/contracts';
import { IsBoolean, IsOptional } from 'class-validator';
import { FollowsRule } from '../../common/rule-decorators';

const R = INTEGRATION_RULES;

export class TestWhatsAppCredentialsDto implements TestWhatsAppCredentialsInput {
  @ApiProperty({
    example: '106540352242922',
    description: 'Phone number ID (WhatsApp Manager → API setup)',
  })
  @FollowsRule(R.phoneNumberId)
  phoneNumberId!: string;

  @ApiProperty({ example: '102290129340398', description: 'WhatsApp Business Account ID' })
  @FollowsRule(R.businessAccountId)
  businessAccountId!: string;

  @ApiProperty({
    description: 'Permanent (system user) access token; starts with "EA"',
    writeOnly: true,
  })
  @FollowsRule(R.accessToken)
  accessToken!: string;
}

export class ListIntegrationsQueryDto {
  @ApiPropertyOptional({ description: 'Only the integrations of this chatbot' })
  @FollowsRule({ ...R.chatbotId, required: false })
  chatbotId?: string;
}

export class CreateWhatsAppIntegrationDto
  extends TestWhatsAppCredentialsDto
  implements CreateWhatsAppIntegrationInput
{
  @ApiProperty({ example: '6650f0c2a1b2c3d4e5f60718' })
  @FollowsRule(R.chatbotId)
  chatbotId!: string;

  @ApiPropertyOptional({
    nullable: true,
    writeOnly: true,
    description: 'Meta app secret (32 hex); omit to use the server-wide WHATSAPP_APP_SECRET',
  })
  @FollowsRule(R.appSecret, { allowEmpty: true })
  appSecret?: string | null;

  @ApiPropertyOptional({ description: 'Leave empty to have one generated' })
  @FollowsRule(R.webhookVerifyToken, { allowEmpty: true })
  webhookVerifyToken?: string;
}

export class RetestIntegrationDto implements RetestIntegrationInput {
  @ApiPropertyOptional({ description: 'An edited phone number ID, tested with the stored token' })
  @FollowsRule({ ...R.phoneNumberId, required: false })
  phoneNumberId?: string;

  @ApiPropertyOptional({ description: 'An edited account ID, tested with the stored token' })
  @FollowsRule({ ...R.businessAccountId, required: false })
  businessAccountId?: string;
}

export class UpdateIntegrationDto implements UpdateIntegrationInput {
  @ApiPropertyOptional()
  @FollowsRule({ ...R.phoneNumberId, required: false })
  phoneNumberId?: string;

  @ApiPropertyOptional()
  @FollowsRule({ ...R.businessAccountId, required: false })
  businessAccountId?: string;

  @ApiPropertyOptional({ writeOnly: true, description: 'A new token; tested before it is stored' })
  @FollowsRule({ ...R.accessToken, required: false })
  accessToken?: string;

  @ApiPropertyOptional({
    nullable: true,
    writeOnly: true,
    description: 'null: use the server-wide secret',
  })
  @FollowsRule(R.appSecret, { allowEmpty: true })
  appSecret?: string | null;

  @ApiPropertyOptional({ description: 'Empty string: generate a new one' })
  @FollowsRule(R.webhookVerifyToken, { allowEmpty: true })
  webhookVerifyToken?: string;

  @ApiPropertyOptional({
    description: 'false disconnects (history kept); true reconnects after a test',
  })
  @IsOptional()
  @IsBoolean({ message: '$property must be true or false' })
  isActive?: boolean;
}

export class ConnectionDetailsDto implements ConnectionDetails {
  @ApiProperty({ type: String, nullable: true, example: '+1 555-010-0100' })
  displayPhoneNumber!: string | null;
  @ApiProperty({ type: String, nullable: true }) verifiedName!: string | null;
  @ApiProperty({ type: String, nullable: true }) businessName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'GREEN' }) qualityRating!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'VERIFIED' })
  codeVerificationStatus!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'CONNECTED' }) phoneStatus!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'CLOUD_API' }) platformType!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'STANDARD' }) throughputLevel!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) nameStatus!: string | null;
}

export class WebhookSettingsDto {
  @ApiProperty({ example: 'https://conecta.example.com/api/whatsapp/webhook' })
  callbackUrl!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for agents (admins only)' })
  verifyToken!: string | null;
}

export class IntegrationStatusDto implements IntegrationStatus {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: PLATFORMS }) platform!: Platform;
  @ApiProperty() chatbotId!: string;
  @ApiProperty({ enum: INTEGRATION_STATUSES }) status!: IntegrationStatusValue;
  @ApiProperty() isActive!: boolean;
  @ApiProperty() phoneNumberId!: string;
  @ApiProperty() businessAccountId!: string;
  @ApiProperty({ example: 'ZD3f', description: 'Last four characters of the access token' })
  tokenLast4!: string;
  @ApiProperty() hasAppSecret!: boolean;
  @ApiProperty({ type: WebhookSettingsDto }) webhook!: WebhookSettingsDto;
  @ApiProperty({ type: ConnectionDetailsDto, nullable: true })
  connection!: ConnectionDetailsDto | null;
  @ApiProperty({ type: AccountHealthDto }) account!: AccountHealthDto;
  @ApiProperty({ enum: INTEGRATION_ERROR_TYPES, nullable: true })
  errorType!: IntegrationErrorType | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastActivity!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastTestedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastWebhookAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastSendOkAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) subscribedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ConnectionCheckDto implements ConnectionCheck {
  @ApiProperty({ enum: CONNECTION_CHECKS }) name!: ConnectionCheckName;
  @ApiProperty({ enum: ['passed', 'failed', 'warning', 'skipped'] })
  outcome!: ConnectionCheck['outcome'];
  @ApiPropertyOptional({ enum: CONNECTION_CHECK_NOTES }) note?: ConnectionCheckNote;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "Meta's value, e.g. CONNECTED",
  })
  phoneStatus?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "Meta's value, e.g. VERIFIED" })
  codeVerificationStatus?: string | null;
}

export class ConnectionTestDetailsDto {
  @ApiProperty({ type: String, nullable: true }) phoneNumber!: string | null;
  @ApiProperty({ type: String, nullable: true }) businessName!: string | null;
  @ApiProperty({ type: String, nullable: true }) verificationStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) qualityRating!: string | null;
  @ApiProperty({ type: String, nullable: true }) verifiedName!: string | null;
  @ApiProperty({ type: String, nullable: true }) phoneStatus!: string | null;
}

export class ConnectionTestResultDto implements ConnectionTestResult {
  @ApiProperty() success!: boolean;
  @ApiPropertyOptional({ enum: INTEGRATION_ERROR_TYPES }) errorType?: IntegrationErrorType;
  @ApiPropertyOptional({ enum: CONNECTION_FAILURE_REASONS }) reason?: ConnectionFailureReason;
  @ApiPropertyOptional({ enum: Object.keys(INTEGRATION_RULES) }) field?: IntegrationField;
  @ApiPropertyOptional({ type: ConnectionTestDetailsDto }) details?: ConnectionTestDetailsDto;
  @ApiProperty({ type: [ConnectionCheckDto] }) checks!: ConnectionCheckDto[];
  @ApiProperty({ format: 'date-time' }) testedAt!: string;
}
