import type {
  ChatbotLanguage,
  ConsentSettings,
  FaqEntry,
  HandoffSettings,
  ResponderType,
} from '@conecta/contracts';
import type { EncryptedSecret } from '../crypto/secret-box';
import type { WorkspaceId } from '../common/workspace-id';

export interface ChatbotResponderSettings {
  type: ResponderType;
  /** Chat-completions base URL (e.g. `https://api.openai.com/v1`); null: LLM_BASE_URL. */
  baseUrl: string | null;
  model: string | null;
  temperature: number | null;
  maxTokens: number | null;
  /** The model takes images (chat-completions `image_url` parts). */
  acceptsImages: boolean;
  /** Model of the chatbot's own transcription endpoint; null: the server's. */
  transcriptionModel: string | null;
  /** The chatbot's own LLM key, sealed by SecretBox; null: LLM_API_KEY. */
  apiKey: EncryptedSecret | null;
}

/** A chatbot as services see it (the API answers a `ChatbotView`, which hides the key). */
export interface ChatbotRecord {
  id: string;
  workspaceId: WorkspaceId;
  /** Unguessable id used by the public chat endpoint. */
  publicId: string;
  name: string;
  language: ChatbotLanguage;
  welcomeMessage: string;
  instructions: string;
  fallbackMessage: string;
  faq: FaqEntry[];
  responder: ChatbotResponderSettings;
  publicChatEnabled: boolean;
  handoff: HandoffSettings;
  consent: ConsentSettings;
  /** The bot's WhatsApp replies are kept to one message (shortened) instead of split. */
  singleMessageReplies: boolean;
  createdAt: Date;
  updatedAt: Date;
}
