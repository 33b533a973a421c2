import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  CHANNELS,
  DELIVERY_STATUSES,
  MEDIA_FAILURE_CODES,
  MEDIA_KINDS,
  MEDIA_STATES,
  MESSAGE_ROLES,
} from '@conecta/contracts';
import type {
  Channel,
  DeliveryStatus,
  MediaFailureCode,
  MediaKind,
  MediaState,
  MessageRole,
} from '@conecta/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';
import type { MessageTemplateSend } from './conversation.types';

export const MESSAGES_COLLECTION = 'messages';

@Schema({ _id: false, versionKey: false })
export class MessageMediaDoc {
  @Prop() id?: string;
  @Prop({ type: String, required: true, enum: MEDIA_KINDS }) kind!: MediaKind;
  @Prop() mimeType?: string;
  @Prop() fileName?: string;
  @Prop() caption?: string;
  @Prop() sha256?: string;
  @Prop() voice?: boolean;
  @Prop({ type: String, enum: MEDIA_STATES }) state?: MediaState;
  @Prop() size?: number;
  @Prop() sniffedType?: string;
  @Prop({ type: String, enum: MEDIA_FAILURE_CODES }) failureCode?: MediaFailureCode;
  @Prop() failureDetail?: string;
  @Prop() transcript?: string;
}

@Schema({ _id: false, versionKey: false })
export class MessageLocationDoc {
  @Prop({ required: true }) latitude!: number;
  @Prop({ required: true }) longitude!: number;
  @Prop() name?: string;
  @Prop() address?: string;
}

@Schema({ _id: false, versionKey: false })
export class SharedContactDoc {
  @Prop() name?: string;
  @Prop({ type: [String], default: [] }) phones!: string[];
  @Prop({ type: [String], default: [] }) emails!: string[];
  @Prop() company?: string;
}

@Schema({ _id: false, versionKey: false })
export class MessagePricingDoc {
  @Prop() billable?: boolean;
  @Prop() pricingModel?: string;
  @Prop() type?: string;
  @Prop() category?: string;
}

/**
 * One message of a conversation. `externalMessageId` (the WhatsApp wamid) is left unset, never null,
 * when there is none: its unique index treats every stored value, null included, as a key.
 */
@Schema({ collection: MESSAGES_COLLECTION, versionKey: false })
export class Message {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) workspaceId!: Types.ObjectId;
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) conversationId!: Types.ObjectId;
  @Prop({ type: String, required: true, enum: MESSAGE_ROLES }) role!: MessageRole;
  @Prop({ type: String, required: true, enum: CHANNELS }) channel!: Channel;
  @Prop({ default: '' }) content!: string;
  @Prop({ default: false }) deleted!: boolean;
  @Prop() picture?: string;
  @Prop() externalMessageId?: string;
  @Prop({ type: SchemaFactory.createForClass(MessageMediaDoc) }) media?: MessageMediaDoc;
  @Prop({ type: SchemaFactory.createForClass(MessageLocationDoc) }) location?: MessageLocationDoc;
  @Prop({ type: [SchemaFactory.createForClass(SharedContactDoc)], default: undefined })
  sharedContacts?: SharedContactDoc[];
  @Prop() replyToExternalId?: string;
  /** Written by the business in the WhatsApp Business app (an `smb_message_echoes` echo). */
  @Prop() sentFromBusinessApp?: boolean;
  /** A team member's reply: who wrote it, as named then. */
  @Prop() authorUserId?: string;
  @Prop() authorName?: string;
  /** `<conversationId>:<Idempotency-Key>` of an agent's send: unique, so a retried request stores once. */
  @Prop() clientKey?: string;
  /** A template send: name, language, category and Meta's components with the values. */
  @Prop({ type: MongooseSchema.Types.Mixed }) template?: MessageTemplateSend;
  @Prop({ type: String, enum: DELIVERY_STATUSES }) deliveryStatus?: DeliveryStatus;
  @Prop() deliveryUpdatedAt?: Date;
  @Prop() sentAt?: Date;
  @Prop() deliveredAt?: Date;
  @Prop() readAt?: Date;
  @Prop() failedAt?: Date;
  @Prop() errorCode?: number;
  @Prop() errorType?: string;
  @Prop() errorReason?: string;
  /** 0-based index of the part whose failure the message shows (split replies). */
  @Prop() failedPart?: number;
  @Prop({ type: SchemaFactory.createForClass(MessagePricingDoc) }) pricing?: MessagePricingDoc;
  @Prop() tokens?: number;
  @Prop() responseTime?: number;
  @Prop() firstTokenLatency?: number;
  @Prop({ required: true }) createdAt!: Date;
}

export const MessageSchema = SchemaFactory.createForClass(Message);

/** A stored message document as read with `lean()`. */
export interface MessageDoc extends Message {
  _id: Types.ObjectId;
}
