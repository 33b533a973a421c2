import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CHANNELS, CONVERSATION_STATUSES } from '@conecta/contracts';
import type {
  ConsentSource,
  ConsentState,
  AdReferralView,
  Channel,
  ConversationStatus,
} from '@conecta/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

export const CONVERSATIONS_COLLECTION = 'conversations';

/**
 * One thread between a visitor and a chatbot on one channel. The workspace id is an ObjectId, as in
 * every collection (migration 0016 converted the strings stored before); the chatbot id is kept
 * as a string. Indexes live in migration 0007.
 */
@Schema({ collection: CONVERSATIONS_COLLECTION, timestamps: true, versionKey: false })
export class Conversation {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) workspaceId!: Types.ObjectId;
  @Prop({ required: true }) chatbotId!: string;
  @Prop({ type: String, required: true, enum: CHANNELS }) channel!: Channel;
  @Prop({ required: true }) sessionId!: string;
  @Prop({ required: true }) visitorId!: string;
  @Prop({ type: String, default: null }) visitorIp!: string | null;
  @Prop({ type: String, default: null }) contactName!: string | null;
  @Prop({ type: String, default: null }) integrationId!: string | null;
  /** WhatsApp: the customer's phone, business-scoped user id (BSUID) and username, as last seen. */
  @Prop({ type: String, default: null }) contactPhone!: string | null;
  @Prop({ type: String, default: null }) contactUserId!: string | null;
  @Prop({ type: String, default: null }) contactUsername!: string | null;
  /** WhatsApp: the click-to-WhatsApp ad of the latest ad message, and its free-entry-point end. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) adReferral!: AdReferralView | null;
  @Prop({ type: Date, default: null }) freeEntryPointEndsAt!: Date | null;
  @Prop({ type: String, required: true, enum: CONVERSATION_STATUSES, default: 'open' })
  status!: ConversationStatus;
  /** The user handling it; null when unassigned. */
  @Prop({ type: String, default: null }) assigneeId!: string | null;
  /** The bot is paused (a handoff, an agent's reply, by hand) until `botPausedUntil` or for good. */
  @Prop({ default: false }) botPaused!: boolean;
  @Prop({ type: Date, default: null }) botPausedUntil!: Date | null;
  /** Customer messages so far (a user's unread count is this minus what they have read). */
  @Prop({ default: 0 }) customerMessageCount!: number;
  /** Meta's time of the last customer message: the 24-hour window runs from it. */
  @Prop({ type: Date, default: null }) lastCustomerMessageAt!: Date | null;
  /** WhatsApp: the customer asked for no marketing (a keyword, or Meta's 131050). */
  @Prop({ default: false }) marketingOptedOut!: boolean;
  /** Every consent change, oldest first: when and how. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] })
  consentHistory!: { state: ConsentState; via: ConsentSource; at: Date }[];
  @Prop({ default: false }) isFavorite!: boolean;
  @Prop({ default: 0 }) messageCount!: number;
  @Prop({ required: true }) lastMessageAt!: Date;
  /** The UTC day of `lastMessageAt` (YYYY-MM-DD): the list reads day by day (decision 0023). */
  @Prop({ type: String }) activityDay?: string;
  @Prop({ default: '' }) lastMessagePreview!: string;
  @Prop({ required: true }) startedAt!: Date;
  @Prop({ type: Date, default: null }) endedAt!: Date | null;
  /**
   * The inbox event whose messages were counted last, and their ids (comma-separated): a resumed
   * run counts only what its dead predecessor did not (see recordMessagesOnConversation).
   */
  @Prop({ type: String }) countedBy?: string;
  @Prop({ type: String }) countedIds?: string;
}

export const ConversationSchema = SchemaFactory.createForClass(Conversation);

/** A stored conversation document as read with `lean()`. */
export interface ConversationDoc extends Conversation {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}
