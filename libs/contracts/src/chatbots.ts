import type { ConsentSettings } from './consent';
import type { FieldRule } from './rules';
import type { HandoffSettings } from './handoff';

export const CHATBOT_LANGUAGES = ['es', 'en'] as const;
export type ChatbotLanguage = (typeof CHATBOT_LANGUAGES)[number];

/** How a chatbot produces its reply: built-in rules, or any chat-completions endpoint. */
export const RESPONDER_TYPES = ['rules', 'openai-compatible'] as const;
export type ResponderType = (typeof RESPONDER_TYPES)[number];

export const FAQ_MAX_ENTRIES = 100;
export const FAQ_MAX_KEYWORDS = 20;

export const CHATBOT_RULES = {
  name: { required: true, minLength: 1, maxLength: 80 },
  welcomeMessage: { required: false, maxLength: 1000 },
  instructions: { required: false, maxLength: 8000 },
  fallbackMessage: { required: true, minLength: 1, maxLength: 1000 },
  faqKeyword: { required: true, minLength: 1, maxLength: 60 },
  faqAnswer: { required: true, minLength: 1, maxLength: 2000 },
  responderBaseUrl: {
    required: false,
    maxLength: 500,
    // No credentials, query or fragment: a `#` would cut off the path the API appends.
    pattern: /^https?:\/\/[^\s#?@]+$/,
    format: 'httpUrl',
    patternMessage: 'must be an http(s) URL without credentials, query or fragment',
  },
  responderModel: { required: false, maxLength: 120 },
  responderApiKey: { required: false, maxLength: 500 },
} satisfies Record<string, FieldRule>;

export interface FaqEntry {
  /** Any of these words or phrases (accent- and case-insensitive) selects the answer. */
  keywords: string[];
  answer: string;
}

/** Responder settings as the API shows them: never the API key itself. */
export interface ResponderSettingsView {
  type: ResponderType;
  baseUrl: string | null;
  model: string | null;
  temperature: number | null;
  maxTokens: number | null;
  /** The model takes images: a customer's photo is passed to it as an image part of the turn. */
  acceptsImages: boolean;
  /**
   * Model of the chatbot's own `/audio/transcriptions` (at its base URL, with its key); null: the
   * server's TRANSCRIPTION_MODEL, if any.
   */
  transcriptionModel: string | null;
  hasApiKey: boolean;
}

/** Responder settings as written; `apiKey: null` removes a stored key, omitted keeps it. */
export interface ResponderSettingsInput {
  type: ResponderType;
  baseUrl?: string | null;
  model?: string | null;
  temperature?: number | null;
  maxTokens?: number | null;
  acceptsImages?: boolean;
  transcriptionModel?: string | null;
  apiKey?: string | null;
}

export interface ChatbotView {
  id: string;
  publicId: string;
  name: string;
  language: ChatbotLanguage;
  welcomeMessage: string;
  instructions: string;
  fallbackMessage: string;
  faq: FaqEntry[];
  responder: ResponderSettingsView;
  publicChatEnabled: boolean;
  /** When the bot hands a conversation to a person, and what it says then. */
  handoff: HandoffSettings;
  /** The customer's words that stop and restart marketing messages, and the answers to them. */
  consent: ConsentSettings;
  /**
   * Keep each WhatsApp reply of the bot to one message: a longer answer is shortened to fit
   * (each part of a split reply is billed as a message). False: long answers are split.
   */
  singleMessageReplies: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CreateChatbotRequest {
  name: string;
  language?: ChatbotLanguage;
  welcomeMessage?: string;
  instructions?: string;
  fallbackMessage?: string;
  faq?: FaqEntry[];
  responder?: ResponderSettingsInput;
  publicChatEnabled?: boolean;
  handoff?: HandoffSettings;
  consent?: ConsentSettings;
  singleMessageReplies?: boolean;
}

export type UpdateChatbotRequest = Partial<CreateChatbotRequest>;

/** Default messages of a new chatbot, per language. */
export const CHATBOT_DEFAULTS: Record<
  ChatbotLanguage,
  { welcomeMessage: string; fallbackMessage: string }
> = {
  es: {
    welcomeMessage: '¡Hola! ¿En qué puedo ayudarte?',
    fallbackMessage: 'Lo siento, no tengo una respuesta para eso. Un agente te contestará pronto.',
  },
  en: {
    welcomeMessage: 'Hi! How can I help you?',
    fallbackMessage: "Sorry, I don't have an answer for that. An agent will get back to you soon.",
  },
};
