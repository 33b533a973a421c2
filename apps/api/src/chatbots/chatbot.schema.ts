import {
  CHATBOT_LANGUAGES,
  ChatbotLanguage,
  ConsentSettings,
  FaqEntry,
  HandoffSettings,
  RESPONDER_TYPES,
} from '@conecta/contracts';
import { Schema, Types } from 'mongoose';
import type { ChatbotResponderSettings } from './chatbot.types';

export const CHATBOT_MODEL = 'Chatbot';

export interface ChatbotDoc {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  publicId: string;
  name: string;
  language: ChatbotLanguage;
  welcomeMessage: string;
  instructions: string;
  fallbackMessage: string;
  faq: FaqEntry[];
  responder: ChatbotResponderSettings;
  /** Absent on chatbots stored before handoffs: the language's defaults apply. */
  handoff?: HandoffSettings;
  /** Absent on chatbots stored before editable opt-out: the defaults apply. */
  consent?: ConsentSettings;
  singleMessageReplies?: boolean;
  publicChatEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const FaqSchema = new Schema<FaqEntry>(
  { keywords: { type: [String], default: [] }, answer: { type: String, required: true } },
  { _id: false },
);

const ResponderSchema = new Schema<ChatbotResponderSettings>(
  {
    type: { type: String, enum: RESPONDER_TYPES, required: true },
    baseUrl: { type: String, default: null },
    model: { type: String, default: null },
    temperature: { type: Number, default: null },
    maxTokens: { type: Number, default: null },
    acceptsImages: { type: Boolean, default: false },
    transcriptionModel: { type: String, default: null },
    apiKey: { type: Schema.Types.Mixed, default: null },
  },
  { _id: false },
);

export const ChatbotSchema = new Schema<ChatbotDoc>(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    publicId: { type: String, required: true },
    name: { type: String, required: true },
    language: { type: String, enum: CHATBOT_LANGUAGES, required: true },
    welcomeMessage: { type: String, default: '' },
    instructions: { type: String, default: '' },
    fallbackMessage: { type: String, required: true },
    faq: { type: [FaqSchema], default: [] },
    responder: { type: ResponderSchema, required: true },
    publicChatEnabled: { type: Boolean, default: true },
    handoff: { type: Schema.Types.Mixed, default: undefined },
    consent: { type: Schema.Types.Mixed, default: undefined },
    singleMessageReplies: { type: Boolean, default: false },
  },
  { collection: 'chatbots', timestamps: true, minimize: false },
);
