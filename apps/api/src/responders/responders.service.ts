import { Inject, Injectable, Logger } from '@nestjs/common';
import { isWithinOpeningHours, LLM_HANDOFF_MARKER, normalizeText } from '@conecta/contracts';
import { CLOCK, type Clock } from '../common/clock';
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
import { containsKeyword } from './text-match';

export type { HandoffTrigger, ResponderResult, ResponderTurn } from './responder.types';

/** Whether the customer's message asks for a person (a handoff keyword, accent- and case-blind). */
export function asksForPerson(chatbot: ChatbotRecord, text: string): boolean {
  const normalized = normalizeText(text);
  return chatbot.handoff.keywords.some((k) => containsKeyword(normalized, k));
}

/** Keeps the prompt bounded: the last turns are what a reply depends on. */
const MAX_HISTORY_TURNS = 20;

/** Produces a chatbot's reply from the conversation: the one door to any LLM. */
/** What the model is told when the chatbot keeps its replies to one WhatsApp message. */
export const ONE_MESSAGE_INSTRUCTION =
  'Keep every answer under 3500 characters: it must fit in one WhatsApp message.';

@Injectable()
export class RespondersService {
  private readonly logger = new Logger(RespondersService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    private readonly egress: EgressPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The handoff message, or the outside-hours one when the team is closed (by the injected clock). */
  private handoffMessage(chatbot: ChatbotRecord): string {
    const { openingHours, outsideHoursMessage, message } = chatbot.handoff;
    const closed = openingHours !== null && !isWithinOpeningHours(openingHours, this.clock.now());
    return closed && outsideHoursMessage.trim() ? outsideHoursMessage : message;
  }

  /**
   * The bot's turn: its answer, or a handoff to a person (the chatbot's handoff message) when the
   * customer asks for one, the rules have no answer, or the LLM says so — each as configured.
   */
  async reply(chatbot: ChatbotRecord, turns: ResponderTurn[]): Promise<ResponderResult> {
    const started = Date.now();
    // Images go only to a model said to take them; everyone else reads the turn's text.
    const history = chatbot.responder.acceptsImages
      ? turns
      : turns.map(({ role, content }) => ({ role, content }));
    const handoff = (trigger: ResponderResult['handoff'], base?: ResponderResult) => ({
      ...base,
      content: this.handoffMessage(chatbot),
      source: base?.source ?? ('rules' as const),
      responseTimeMs: base?.responseTimeMs ?? Date.now() - started,
      handoff: trigger,
    });
    const last = [...history].reverse().find((t) => t.role === 'user');
    if (last && asksForPerson(chatbot, last.content)) return handoff('keyword');
    const result = await this.compose(chatbot, history);
    if (result.source === 'fallback' && chatbot.handoff.onFallback) {
      return handoff('fallback', result);
    }
    if (result.source === 'llm' && result.content.includes(LLM_HANDOFF_MARKER)) {
      if (chatbot.handoff.onLlmRequest) return handoff('llm', result);
      const rest = result.content.split(LLM_HANDOFF_MARKER).join('').trim();
      return { ...result, content: rest || chatbot.fallbackMessage };
    }
    return result;
  }

  private async compose(
    chatbot: ChatbotRecord,
    history: ResponderTurn[],
  ): Promise<ResponderResult> {
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
      chatbot.handoff.onLlmRequest
        ? `If the customer needs a person of the team, answer exactly ${LLM_HANDOFF_MARKER} and nothing else.`
        : '',
      // Each WhatsApp message is billed: ask for one; a longer answer is still cut to fit.
      chatbot.singleMessageReplies ? ONE_MESSAGE_INSTRUCTION : '',
    ];
    return parts.filter(Boolean).join('\n\n');
  }
}
