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
    const { baseUrl, tenantUrl } = this.endpointOf(chatbot);
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
      const apiKey = this.keyOf(chatbot, tenantUrl);
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

  /** The chatbot's chat-completions base URL, and whether the tenant chose it (egress-checked). */
  private endpointOf(chatbot: ChatbotRecord): { baseUrl: string | undefined; tenantUrl: boolean } {
    const serverUrl = this.config.llm.baseUrl?.replace(/\/+$/, '');
    const ownUrl = chatbot.responder.baseUrl?.replace(/\/+$/, '');
    // A URL the tenant chose goes through the egress policy, unless it is the operator's own.
    return {
      baseUrl: ownUrl ?? serverUrl,
      tenantUrl: ownUrl !== undefined && ownUrl !== serverUrl,
    };
  }

  /** The server-wide key goes only to the server-wide URL; a chatbot's own URL needs its own key. */
  private keyOf(chatbot: ChatbotRecord, tenantUrl: boolean): string | null {
    const sealed = chatbot.responder.apiKey;
    if (sealed) return this.secrets.open(sealed, chatbotKeyPlace(chatbot.id));
    return tenantUrl ? null : (this.config.llm.apiKey ?? null);
  }

  /**
   * Where a chatbot's voice notes are transcribed: its own transcription model at its own
   * endpoint (like its chat model), else the server's TRANSCRIPTION_MODEL; null when neither.
   */
  private transcriptionTarget(chatbot: ChatbotRecord): {
    baseUrl: string;
    model: string;
    apiKey: string | null;
    egress: EgressPolicy | null;
  } | null {
    const own = chatbot.responder;
    if (own.type === 'openai-compatible' && own.transcriptionModel) {
      const { baseUrl, tenantUrl } = this.endpointOf(chatbot);
      if (!baseUrl) return null;
      return {
        baseUrl,
        model: own.transcriptionModel,
        apiKey: this.keyOf(chatbot, tenantUrl),
        egress: tenantUrl ? this.egress : null,
      };
    }
    const { transcriptionModel, transcriptionBaseUrl, transcriptionApiKey } = this.config.llm;
    const baseUrl = (transcriptionBaseUrl ?? this.config.llm.baseUrl)?.replace(/\/+$/, '');
    if (!transcriptionModel || !baseUrl) return null;
    // The chat model's key goes only to the chat model's own URL.
    const apiKey =
      transcriptionApiKey ?? (transcriptionBaseUrl ? null : (this.config.llm.apiKey ?? null));
    return { baseUrl, model: transcriptionModel, apiKey, egress: null };
  }

  /** Whether this chatbot's voice notes are transcribed (a transcription model is configured). */
  transcribes(chatbot: ChatbotRecord): boolean {
    return this.transcriptionTarget(chatbot) !== null;
  }

  /**
   * What a voice note says, through an OpenAI-compatible `/audio/transcriptions`; null when
   * transcription is off or the call failed (the bot then sees the note's label).
   */
  async transcribe(
    chatbot: ChatbotRecord,
    audio: { data: Buffer; mimeType: string; fileName: string },
  ): Promise<string | null> {
    try {
      const target = this.transcriptionTarget(chatbot);
      if (!target) return null;
      return await transcribeAudio({
        ...target,
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
