import { ApiProperty } from '@nestjs/swagger';
import {
  BOT_STATES,
  CHANNELS,
  CONVERSATION_STATUSES,
  MESSAGE_SENDERS,
  DELIVERY_STATUSES,
  MEDIA_FAILURE_CODES,
  MEDIA_KINDS,
  MEDIA_STATES,
  MESSAGE_ROLES,
} from '@conecta/contracts';
import type {
  ConsentEventView,
  AdReferralView,
  BotState,
  BotSwitchView,
  ConversationCounts,
  MessageSender,
  Channel,
  ChannelCounts,
  ContactErasureResult,
  ContactExport,
  ConversationListItem,
  ConversationStatus,
  CursorPage,
  DeliveryStatus,
  ContactExportFile,
  MediaFailureCode,
  MediaKind,
  MediaState,
  MessageLocationView,
  SharedContactView,
  MessageMediaView,
  MessageRole,
  MessageView,
} from '@conecta/contracts';

// Response shapes for the OpenAPI document; the services return the contract types.

export class AdReferralDto implements AdReferralView {
  @ApiProperty({ type: String, nullable: true }) sourceUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'ad' }) sourceType!: string | null;
  @ApiProperty({ type: String, nullable: true }) headline!: string | null;
  @ApiProperty({ type: String, nullable: true }) body!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'image' }) mediaType!: string | null;
  @ApiProperty({ type: String, nullable: true }) ctwaClid!: string | null;
}

export class BotSwitchDto implements BotSwitchView {
  @ApiProperty({ enum: BOT_STATES }) state!: BotState;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) pausedUntil!: string | null;
}

export class ConversationDto implements ConversationListItem {
  @ApiProperty() id!: string;
  @ApiProperty() chatbotId!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ type: String, nullable: true }) integrationId!: string | null;
  @ApiProperty({ enum: CONVERSATION_STATUSES }) status!: ConversationStatus;
  @ApiProperty() isFavorite!: boolean;
  @ApiProperty({ type: String, nullable: true }) contactName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '•••• 1234' }) maskedPhone!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '@lu.shop' }) username!: string | null;
  @ApiProperty() visitorLabel!: string;
  @ApiProperty() lastMessagePreview!: string;
  @ApiProperty({ format: 'date-time' }) lastMessageAt!: string;
  @ApiProperty({ type: AdReferralDto, nullable: true }) adReferral!: AdReferralDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  freeEntryPointEndsAt!: string | null;
  @ApiProperty() messageCount!: number;
  @ApiProperty({ type: String, nullable: true }) assigneeId!: string | null;
  @ApiProperty({ type: BotSwitchDto }) bot!: BotSwitchDto;
  @ApiProperty({ description: 'Customer messages the signed-in user has not read' })
  unreadCount!: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "End of WhatsApp's 24-hour customer-service window",
  })
  windowEndsAt!: string | null;
  @ApiProperty({
    description:
      'WhatsApp: opted out of marketing, and each change (state, via keyword or meta_131050, at)',
    example: {
      optedOut: true,
      history: [{ state: 'opted_out', via: 'keyword', at: '2026-11-02T10:00:00.000Z' }],
    },
  })
  marketingConsent!: { optedOut: boolean; history: ConsentEventView[] };
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ConversationPageDto implements CursorPage<ConversationListItem> {
  @ApiProperty({ type: [ConversationDto] }) items!: ConversationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ChannelCountsDto implements ChannelCounts {
  @ApiProperty() all!: number;
  @ApiProperty() web!: number;
  @ApiProperty() whatsapp!: number;
  @ApiProperty() telegram!: number;
}

class StateCountsDto {
  @ApiProperty() open!: number;
  @ApiProperty() pending!: number;
  @ApiProperty() closed!: number;
}

export class ConversationCountsDto extends ChannelCountsDto implements ConversationCounts {
  @ApiProperty({ type: StateCountsDto }) states!: StateCountsDto;
  @ApiProperty({ description: 'Not closed, assigned to the caller' }) mine!: number;
  @ApiProperty({ description: 'Not closed, assigned to nobody' }) unassigned!: number;
  @ApiProperty({ description: 'Pending and assigned to nobody: waiting for a person' })
  waiting!: number;
}

export class AssigneeDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

class MessageMediaDto implements MessageMediaView {
  @ApiProperty({ enum: MEDIA_KINDS }) kind!: MediaKind;
  @ApiProperty({ type: String, nullable: true }) mimeType!: string | null;
  @ApiProperty({ type: String, nullable: true }) fileName!: string | null;
  @ApiProperty({ type: String, nullable: true }) caption!: string | null;
  @ApiProperty({ description: 'A WhatsApp voice note' }) voice!: boolean;
  @ApiProperty({ enum: MEDIA_STATES }) state!: MediaState;
  @ApiProperty({ type: Number, nullable: true }) size!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Read from the first bytes' })
  sniffedType!: string | null;
  @ApiProperty({ enum: MEDIA_FAILURE_CODES, nullable: true }) failureCode!: MediaFailureCode | null;
  @ApiProperty({ type: String, nullable: true, description: "Meta's words" })
  failureDetail!: string | null;
  @ApiProperty({ type: String, nullable: true }) transcript!: string | null;
}

class MessageLocationDto implements MessageLocationView {
  @ApiProperty() latitude!: number;
  @ApiProperty() longitude!: number;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
}

class SharedContactDto implements SharedContactView {
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: [String] }) phones!: string[];
  @ApiProperty({ type: [String] }) emails!: string[];
  @ApiProperty({ type: String, nullable: true }) company!: string | null;
}

export class MessageDto implements MessageView {
  @ApiProperty() id!: string;
  @ApiProperty() conversationId!: string;
  @ApiProperty({ enum: MESSAGE_ROLES }) role!: MessageRole;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty() content!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, nullable: true }) deliveryStatus!: DeliveryStatus | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "Meta's own words (error_data.details, else its message); null when Meta said none",
  })
  failureReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) failureType!: string | null;
  @ApiProperty({ type: Number, nullable: true }) failureCode!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '1-based part of a split reply that failed',
  })
  failedPart!: number | null;
  @ApiProperty({ type: MessageMediaDto, nullable: true }) media!: MessageMediaDto | null;
  @ApiProperty({ type: MessageLocationDto, nullable: true }) location!: MessageLocationDto | null;
  @ApiProperty({ type: [SharedContactDto], nullable: true })
  sharedContacts!: SharedContactDto[] | null;
  @ApiProperty() isReply!: boolean;
  @ApiProperty() sentFromBusinessApp!: boolean;
  @ApiProperty({
    nullable: true,
    description: 'A template send: its name, language and category',
    example: { name: 'order_update', language: 'es', category: 'UTILITY' },
  })
  template!: { name: string; language: string; category: string } | null;
  @ApiProperty({ enum: MESSAGE_SENDERS }) sender!: MessageSender;
  @ApiProperty({ type: String, nullable: true }) authorUserId!: string | null;
  @ApiProperty({ type: String, nullable: true }) authorName!: string | null;
  @ApiProperty({ type: Number, nullable: true }) tokens!: number | null;
  @ApiProperty({ type: Number, nullable: true }) responseTime!: number | null;
  @ApiProperty({ type: Number, nullable: true }) firstTokenLatency!: number | null;
}

export class MessagePageDto implements CursorPage<MessageView> {
  @ApiProperty({
    type: [MessageDto],
    description: 'Oldest first; the first page holds the newest messages',
  })
  items!: MessageDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Older messages' }) nextCursor!:
    string | null;
}

class ExportedConversationDto extends ConversationDto {
  @ApiProperty({ type: [MessageDto] }) messages!: MessageDto[];
}

class ContactExportFileDto implements ContactExportFile {
  @ApiProperty() messageId!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty() size!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ type: String, nullable: true }) sniffedType!: string | null;
  @ApiProperty({ format: 'byte' }) dataBase64!: string;
}

export class ContactExportDto implements ContactExport {
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ type: String, nullable: true }) maskedPhone!: string | null;
  @ApiProperty({ format: 'date-time' }) exportedAt!: string;
  @ApiProperty({ type: [ExportedConversationDto] }) conversations!: ExportedConversationDto[];
  @ApiProperty({ type: [ContactExportFileDto] }) files!: ContactExportFileDto[];
}

class ErasedCollectionsDto {
  @ApiProperty() conversations!: number;
  @ApiProperty() messages!: number;
  @ApiProperty({ description: 'Raw webhook events, dead letters included' })
  whatsapp_inbox!: number;
  @ApiProperty({ description: 'Audit entries whose contact label was replaced' })
  audit_log!: number;
  @ApiProperty({ description: 'Kept message files' })
  media_files!: number;
}

export class ContactErasureDto implements ContactErasureResult {
  @ApiProperty() conversationsDeleted!: number;
  @ApiProperty() messagesDeleted!: number;
  @ApiProperty({ type: ErasedCollectionsDto }) collections!: ErasedCollectionsDto;
}
