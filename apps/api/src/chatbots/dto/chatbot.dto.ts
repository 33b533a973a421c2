import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  CHATBOT_LANGUAGES,
  CHATBOT_RULES,
  CONSENT_MAX_KEYWORDS,
  CONSENT_RULES,
  ChatbotLanguage,
  ConsentSettings,
  ChatbotView,
  CreateChatbotRequest,
  FAQ_MAX_ENTRIES,
  FAQ_MAX_KEYWORDS,
  FaqEntry,
  HANDOFF_MAX_KEYWORDS,
  HANDOFF_RESUME_MAX_MINUTES,
  HANDOFF_RULES,
  HandoffSettings,
  OpeningHours,
  RESPONDER_TYPES,
  ResponderSettingsInput,
  ResponderSettingsView,
  ResponderType,
} from '@conecta/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

const R = CHATBOT_RULES;

export class OpeningHoursDto implements OpeningHours {
  @ApiProperty({ example: 'Europe/Madrid' })
  @IsString()
  @MaxLength(HANDOFF_RULES.timeZone.maxLength)
  @Matches(HANDOFF_RULES.timeZone.pattern, { message: HANDOFF_RULES.timeZone.patternMessage })
  timeZone!: string;

  @ApiProperty({
    type: [Number],
    example: [1, 2, 3, 4, 5],
    description: '0 = Sunday … 6 = Saturday',
  })
  @IsArray()
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(6, { each: true })
  weekdays!: number[];

  @ApiProperty({ example: '09:00' })
  @IsString()
  @Matches(HANDOFF_RULES.time.pattern, { message: HANDOFF_RULES.time.patternMessage })
  from!: string;

  @ApiProperty({ example: '18:00' })
  @IsString()
  @Matches(HANDOFF_RULES.time.pattern, { message: HANDOFF_RULES.time.patternMessage })
  to!: string;
}

export class HandoffSettingsDto implements HandoffSettings {
  @ApiProperty({ type: [String], example: ['agente', 'humano', 'human'] })
  @IsArray()
  @ArrayMaxSize(HANDOFF_MAX_KEYWORDS)
  @IsString({ each: true })
  @MinLength(HANDOFF_RULES.keyword.minLength, { each: true })
  @MaxLength(HANDOFF_RULES.keyword.maxLength, { each: true })
  keywords!: string[];

  @ApiProperty({ description: 'Hand off when the rules responder has no answer' })
  @IsBoolean()
  onFallback!: boolean;

  @ApiProperty({ description: 'Hand off when the LLM answers the handoff marker' })
  @IsBoolean()
  onLlmRequest!: boolean;

  @ApiProperty({ maxLength: HANDOFF_RULES.message.maxLength })
  @IsString()
  @MinLength(HANDOFF_RULES.message.minLength)
  @MaxLength(HANDOFF_RULES.message.maxLength)
  message!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Minutes of agent silence before the bot resumes; null: never',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(HANDOFF_RESUME_MAX_MINUTES)
  resumeAfterMinutes!: number | null;

  @ApiProperty({ type: OpeningHoursDto, nullable: true, description: 'null: always open' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OpeningHoursDto)
  openingHours!: OpeningHoursDto | null;

  @ApiProperty({
    maxLength: HANDOFF_RULES.outsideHoursMessage.maxLength,
    description: 'Said instead of the handoff message outside the opening hours; empty: not',
  })
  @IsString()
  @MaxLength(HANDOFF_RULES.outsideHoursMessage.maxLength)
  outsideHoursMessage!: string;
}

export class ConsentSettingsDto implements ConsentSettings {
  @ApiProperty({ type: [String], example: ['STOP', 'BAJA', 'CANCELAR', 'NO MOLESTAR'] })
  @IsArray()
  @ArrayMaxSize(CONSENT_MAX_KEYWORDS)
  @IsString({ each: true })
  @MinLength(CONSENT_RULES.keyword.minLength, { each: true })
  @MaxLength(CONSENT_RULES.keyword.maxLength, { each: true })
  optOutKeywords!: string[];

  @ApiProperty({ type: [String], example: ['START', 'ALTA'] })
  @IsArray()
  @ArrayMaxSize(CONSENT_MAX_KEYWORDS)
  @IsString({ each: true })
  @MinLength(CONSENT_RULES.keyword.minLength, { each: true })
  @MaxLength(CONSENT_RULES.keyword.maxLength, { each: true })
  optInKeywords!: string[];

  @ApiProperty({ maxLength: CONSENT_RULES.confirmation.maxLength })
  @IsString()
  @MinLength(CONSENT_RULES.confirmation.minLength)
  @MaxLength(CONSENT_RULES.confirmation.maxLength)
  optOutConfirmation!: string;

  @ApiProperty({ maxLength: CONSENT_RULES.confirmation.maxLength })
  @IsString()
  @MinLength(CONSENT_RULES.confirmation.minLength)
  @MaxLength(CONSENT_RULES.confirmation.maxLength)
  optInConfirmation!: string;
}

export class FaqEntryDto implements FaqEntry {
  @ApiProperty({ type: [String], example: ['horario', 'hours'] })
  @IsArray()
  @ArrayMaxSize(FAQ_MAX_KEYWORDS)
  @IsString({ each: true })
  @MinLength(R.faqKeyword.minLength, { each: true })
  @MaxLength(R.faqKeyword.maxLength, { each: true })
  keywords!: string[];

  @ApiProperty({ maxLength: R.faqAnswer.maxLength })
  @IsString()
  @MinLength(R.faqAnswer.minLength)
  @MaxLength(R.faqAnswer.maxLength)
  answer!: string;
}

export class ResponderSettingsDto implements ResponderSettingsInput {
  @ApiProperty({ enum: RESPONDER_TYPES })
  @IsIn(RESPONDER_TYPES)
  type!: ResponderType;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://api.openai.com/v1' })
  @IsOptional()
  @IsString()
  @MaxLength(R.responderBaseUrl.maxLength)
  @Matches(R.responderBaseUrl.pattern, { message: R.responderBaseUrl.patternMessage })
  baseUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(R.responderModel.maxLength)
  model?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 2 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 32000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32000)
  maxTokens?: number | null;

  @ApiPropertyOptional({ description: 'The model takes images (a photo becomes an image part)' })
  @IsOptional()
  @IsBoolean()
  acceptsImages?: boolean;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'whisper-1',
    description: "Voice notes transcribed at the chatbot's own base URL; null: the server's",
  })
  @IsOptional()
  @IsString()
  @MaxLength(R.responderModel.maxLength)
  transcriptionModel?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Write-only; stored encrypted. Omit to keep the stored key, null to remove it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(R.responderApiKey.maxLength)
  apiKey?: string | null;
}

export class CreateChatbotDto implements CreateChatbotRequest {
  @ApiProperty({ maxLength: R.name.maxLength })
  @IsString()
  @MinLength(R.name.minLength)
  @MaxLength(R.name.maxLength)
  name!: string;

  @ApiPropertyOptional({ enum: CHATBOT_LANGUAGES, default: 'es' })
  @IsOptional()
  @IsIn(CHATBOT_LANGUAGES)
  language?: ChatbotLanguage;

  @ApiPropertyOptional({ maxLength: R.welcomeMessage.maxLength })
  @IsOptional()
  @IsString()
  @MaxLength(R.welcomeMessage.maxLength)
  welcomeMessage?: string;

  @ApiPropertyOptional({ maxLength: R.instructions.maxLength })
  @IsOptional()
  @IsString()
  @MaxLength(R.instructions.maxLength)
  instructions?: string;

  @ApiPropertyOptional({ maxLength: R.fallbackMessage.maxLength })
  @IsOptional()
  @IsString()
  @MinLength(R.fallbackMessage.minLength)
  @MaxLength(R.fallbackMessage.maxLength)
  fallbackMessage?: string;

  @ApiPropertyOptional({ type: [FaqEntryDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FAQ_MAX_ENTRIES)
  // Each element an object: an array or a number passes the nested check (nothing to check).
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => FaqEntryDto)
  faq?: FaqEntryDto[];

  @ApiPropertyOptional({ type: ResponderSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResponderSettingsDto)
  responder?: ResponderSettingsDto;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  publicChatEnabled?: boolean;

  @ApiPropertyOptional({ type: HandoffSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HandoffSettingsDto)
  handoff?: HandoffSettingsDto;

  @ApiPropertyOptional({
    type: ConsentSettingsDto,
    description:
      'Whole-message keywords (case- and accent-insensitive) that opt the customer out of / back into marketing, and the answer to each',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentSettingsDto)
  consent?: ConsentSettingsDto;

  @ApiPropertyOptional({
    default: false,
    description:
      'Keep each WhatsApp reply of the bot to one message (a longer answer is shortened); false: split',
  })
  @IsOptional()
  @IsBoolean()
  singleMessageReplies?: boolean;
}

export class UpdateChatbotDto extends PartialType(CreateChatbotDto) {}

export class ResponderSettingsViewDto implements ResponderSettingsView {
  @ApiProperty({ enum: RESPONDER_TYPES }) type!: ResponderType;
  @ApiProperty({ type: String, nullable: true }) baseUrl!: string | null;
  @ApiProperty({ type: String, nullable: true }) model!: string | null;
  @ApiProperty({ type: Number, nullable: true }) temperature!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxTokens!: number | null;
  @ApiProperty() acceptsImages!: boolean;
  @ApiProperty({ type: String, nullable: true }) transcriptionModel!: string | null;
  @ApiProperty({ description: 'Whether the chatbot has its own (encrypted) LLM key' })
  hasApiKey!: boolean;
}

export class ChatbotDto implements ChatbotView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Id used by the public chat endpoint' }) publicId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CHATBOT_LANGUAGES }) language!: ChatbotLanguage;
  @ApiProperty() welcomeMessage!: string;
  @ApiProperty() instructions!: string;
  @ApiProperty() fallbackMessage!: string;
  @ApiProperty({ type: [FaqEntryDto] }) faq!: FaqEntryDto[];
  @ApiProperty({ type: ResponderSettingsViewDto }) responder!: ResponderSettingsViewDto;
  @ApiProperty() publicChatEnabled!: boolean;
  @ApiProperty({ type: HandoffSettingsDto }) handoff!: HandoffSettingsDto;
  @ApiProperty({ type: ConsentSettingsDto }) consent!: ConsentSettingsDto;
  @ApiProperty() singleMessageReplies!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
