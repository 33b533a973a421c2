import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChatbotRecord } from '../chatbots/chatbot.types';
import { chatbotKeyPlace } from '../chatbots/chatbots.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SecretBox } from '../crypto/secret-box';
import { EgressPolicy } from '../egress/egress-policy';
import { LlmCallError, streamChatCompletion } from './openai-compatible-responder';
import { transcribeAudio } from './openai-compatible-transcription';
import type { ResponderResult, ResponderTurn } from './responder.types';
import { rulesReply } from './rules-responder';

export type { ResponderResult, ResponderTurn } from './responder.types';

/** Keeps the prompt bounded: the last turns are what a reply depends on. */
const MAX_HISTORY_TURNS = 20;

/** Produces a chatbot's reply from the conversation: the one door to any LLM. */
@Injectable()
export class RespondersService {
  private readonly logger = new Logger(RespondersService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    private readonly egress: EgressPolicy,
  ) {}

  async reply(chatbot: ChatbotRecord, turns: ResponderTurn[]): Promise<ResponderResult> {
    // Images go only to a model said to take them; everyone else reads the turn's text.
    const history = chatbot.responder.acceptsImages
      ? turns
      : turns.map(({ role, content }) => ({ role, content }));
    if (chatbot.responder.type !== 'openai-compatible') return rulesReply(chatbot, history);

    const settings = chatbot.responder;
    const serverUrl = this.config.llm.baseUrl?.replace(/\/+$/, '');
    const ownUrl = settings.baseUrl?.replace(/\/+$/, '');
    const baseUrl = ownUrl ?? serverUrl;
    // A URL the tenant chose goes through the egress policy, unless it is the operator's own.
    const tenantUrl = ownUrl !== undefined && ownUrl !== serverUrl;
    const model = settings.model ?? this.config.llm.model;
    if (!baseUrl || !model) {
      this.logger.warn(
        { chatbotId: chatbot.id },
        'openai-compatible chatbot without base URL or model: using rules',
      );
      return rulesReply(chatbot, history);
    }
    const started = Date.now();
    try {
      // The server-wide key goes only to the server-wide URL; a chatbot's own URL needs its own key.
      const apiKey = settings.apiKey
        ? this.secrets.open(settings.apiKey, chatbotKeyPlace(chatbot.id))
        : tenantUrl
          ? null
          : (this.config.llm.apiKey ?? null);
      const result = await streamChatCompletion({
        baseUrl,
        egress: tenantUrl ? this.egress : null,
        apiKey,
        model,
        system: this.systemPrompt(chatbot),
        history: history.slice(-MAX_HISTORY_TURNS),
        temperature: settings.temperature,
        maxTokens: settings.maxTokens,
        timeoutMs: this.config.llm.timeoutMs,
      });
      return { ...result, source: 'llm' };
    } catch (err) {
      const kind = err instanceof LlmCallError ? err.kind : 'internal';
      const status = err instanceof LlmCallError ? err.status : undefined;
      this.logger.warn(
        { chatbotId: chatbot.id, kind, status },
        'LLM reply failed: answering the fallback message',
      );
      return {
        content: chatbot.fallbackMessage,
        source: 'fallback',
        responseTimeMs: Date.now() - started,
      };
    }
  }

  /** Whether voice notes are transcribed: a transcription model and an endpoint are configured. */
  get transcriptionEnabled(): boolean {
    const { transcriptionModel, transcriptionBaseUrl, baseUrl } = this.config.llm;
    return Boolean(transcriptionModel && (transcriptionBaseUrl ?? baseUrl));
  }

  /**
   * What a voice note says, through the operator's OpenAI-compatible `/audio/transcriptions`;
   * null when transcription is off or the call failed (the bot then sees the note's label).
   */
  async transcribe(
    chatbot: ChatbotRecord,
    audio: { data: Buffer; mimeType: string; fileName: string },
  ): Promise<string | null> {
    const { transcriptionModel, transcriptionBaseUrl, transcriptionApiKey } = this.config.llm;
    const baseUrl = (transcriptionBaseUrl ?? this.config.llm.baseUrl)?.replace(/\/+$/, '');
    if (!transcriptionModel || !baseUrl) return null;
    // The chat model's key goes only to the chat model's own URL.
    const apiKey =
      transcriptionApiKey ?? (transcriptionBaseUrl ? null : (this.config.llm.apiKey ?? null));
    try {
      return await transcribeAudio({
        baseUrl,
        egress: null,
        apiKey,
        model: transcriptionModel,
        audio,
        language: chatbot.language,
        timeoutMs: this.config.llm.timeoutMs,
      });
    } catch (err) {
      const kind = err instanceof LlmCallError ? err.kind : 'internal';
      const status = err instanceof LlmCallError ? err.status : undefined;
      this.logger.warn({ chatbotId: chatbot.id, kind, status }, 'voice note transcription failed');
      return null;
    }
  }

  private systemPrompt(chatbot: ChatbotRecord): string {
    const parts = [
      chatbot.instructions.trim(),
      chatbot.language === 'es'
        ? 'Responde en español salvo que el usuario escriba en otro idioma.'
        : '',
      chatbot.faq.length > 0
        ? `Known answers:\n${chatbot.faq.map((f) => `- ${f.keywords.join(', ')}: ${f.answer}`).join('\n')}`
        : '',
    ];
    return parts.filter(Boolean).join('\n\n');
  }
}
