import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CHATBOT_DEFAULTS,
  CONSENT_DEFAULTS,
  HANDOFF_DEFAULTS,
  consentSettingsProblems,
  ChatbotView,
  CreateChatbotRequest,
  ResponderSettingsInput,
  UpdateChatbotRequest,
} from '@conecta/contracts';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AppError } from '../common/errors/app-error';
import { CLOCK, type Clock } from '../common/clock';
import { SealedPlace, SecretBox } from '../crypto/secret-box';
import type { ChatbotRecord, ChatbotResponderSettings } from './chatbot.types';
import { ChatbotChanges, ChatbotsRepository } from './chatbots.repository';
import type { WorkspaceId } from '../common/workspace-id';

/** The API's view of a chatbot: everything but the LLM key (only whether one is set). */
export function toChatbotView(c: ChatbotRecord): ChatbotView {
  return {
    id: c.id,
    publicId: c.publicId,
    name: c.name,
    language: c.language,
    welcomeMessage: c.welcomeMessage,
    instructions: c.instructions,
    fallbackMessage: c.fallbackMessage,
    faq: c.faq,
    responder: {
      type: c.responder.type,
      baseUrl: c.responder.baseUrl,
      model: c.responder.model,
      temperature: c.responder.temperature,
      maxTokens: c.responder.maxTokens,
      acceptsImages: c.responder.acceptsImages,
      transcriptionModel: c.responder.transcriptionModel,
      hasApiKey: c.responder.apiKey !== null,
    },
    publicChatEnabled: c.publicChatEnabled,
    handoff: c.handoff,
    consent: c.consent,
    singleMessageReplies: c.singleMessageReplies,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const EMPTY_RESPONDER: ChatbotResponderSettings = {
  type: 'rules',
  baseUrl: null,
  model: null,
  temperature: null,
  maxTokens: null,
  acceptsImages: false,
  transcriptionModel: null,
  apiKey: null,
};

/** Chatbots of a workspace; admins write, everyone in the workspace reads. */
/** Where a chatbot's LLM key is sealed: its record and field (the seal's associated data). */
export function chatbotKeyPlace(chatbotId: string): SealedPlace {
  return { collection: 'chatbots', id: chatbotId, field: 'responder.apiKey' };
}

/**
 * How long the inbox trusts a chatbot it has read. A change made in this process is seen at once;
 * one made in another process (or the key rotation command) at most this late.
 */
export const CHATBOT_CACHE_MS = 5_000;

@Injectable()
export class ChatbotsService {
  private readonly cache = new Map<string, { bot: ChatbotRecord; until: number }>();

  constructor(
    private readonly repo: ChatbotsRepository,
    private readonly secrets: SecretBox,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(workspaceId: WorkspaceId): Promise<ChatbotRecord[]> {
    return this.repo.list(workspaceId);
  }

  /** Throws NOT_FOUND for another workspace's chatbot as for a missing one. */
  async get(workspaceId: WorkspaceId, chatbotId: string): Promise<ChatbotRecord> {
    const bot = await this.repo.find(workspaceId, chatbotId);
    if (!bot) throw AppError.notFound('Chatbot');
    return bot;
  }

  /**
   * {@link get} for the message pipeline: served from memory for {@link CHATBOT_CACHE_MS}, so that a
   * message does not pay a read of its chatbot. Frozen: shared by every caller meanwhile.
   */
  async getCached(workspaceId: WorkspaceId, chatbotId: string): Promise<ChatbotRecord> {
    const key = `${workspaceId}:${chatbotId}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > this.clock.now().getTime()) return hit.bot;
    const bot = Object.freeze(await this.get(workspaceId, chatbotId));
    this.cache.set(key, { bot, until: this.clock.now().getTime() + CHATBOT_CACHE_MS });
    return bot;
  }

  getByPublicId(publicId: string): Promise<ChatbotRecord | null> {
    return this.repo.findByPublicId(publicId);
  }

  async create(auth: Actor, input: CreateChatbotRequest): Promise<ChatbotRecord> {
    this.checkConsent(input);
    const language = input.language ?? 'es';
    const defaults = CHATBOT_DEFAULTS[language];
    const id = this.repo.newId();
    const bot = await this.repo.create({
      id,
      workspaceId: auth.workspaceId,
      publicId: `cb_${randomBytes(12).toString('base64url')}`,
      name: input.name.trim(),
      language,
      welcomeMessage: input.welcomeMessage ?? defaults.welcomeMessage,
      instructions: input.instructions ?? '',
      fallbackMessage: input.fallbackMessage ?? defaults.fallbackMessage,
      faq: input.faq ?? [],
      responder: this.responderSettings(id, EMPTY_RESPONDER, input.responder),
      publicChatEnabled: input.publicChatEnabled ?? true,
      handoff: input.handoff ?? HANDOFF_DEFAULTS[language],
      consent: input.consent ?? CONSENT_DEFAULTS,
      singleMessageReplies: input.singleMessageReplies ?? false,
    });
    await this.record(auth, 'chatbot.create', bot.id, { name: bot.name });
    return bot;
  }

  async update(
    auth: Actor,
    chatbotId: string,
    input: UpdateChatbotRequest,
  ): Promise<ChatbotRecord> {
    this.checkConsent(input);
    const current = await this.get(auth.workspaceId, chatbotId);
    const changes: ChatbotChanges = {
      name: input.name?.trim(),
      language: input.language,
      welcomeMessage: input.welcomeMessage,
      instructions: input.instructions,
      fallbackMessage: input.fallbackMessage,
      faq: input.faq,
      publicChatEnabled: input.publicChatEnabled,
      handoff: input.handoff,
      consent: input.consent,
      singleMessageReplies: input.singleMessageReplies,
      responder: input.responder
        ? this.responderSettings(chatbotId, current.responder, input.responder)
        : undefined,
    };
    const bot = await this.repo.update(auth.workspaceId, chatbotId, changes);
    this.cache.clear();
    if (!bot) throw AppError.notFound('Chatbot');
    await this.record(auth, 'chatbot.update', bot.id, { fields: Object.keys(input).sort() });
    return bot;
  }

  /** The shared consent rule the field checks cannot express (a keyword in both lists, …). */
  private checkConsent(input: UpdateChatbotRequest): void {
    if (!input.consent) return;
    const problems = consentSettingsProblems(input.consent).map((p) => ({
      ...p,
      field: `consent.${p.field}`,
    }));
    if (problems.length > 0) throw AppError.validation(problems);
  }

  async delete(auth: Actor, chatbotId: string): Promise<void> {
    const deleted = await this.repo.delete(auth.workspaceId, chatbotId);
    this.cache.clear();
    if (!deleted) throw AppError.notFound('Chatbot');
    await this.record(auth, 'chatbot.delete', chatbotId, {});
  }

  private responderSettings(
    chatbotId: string,
    current: ChatbotResponderSettings,
    input: ResponderSettingsInput | undefined,
  ): ChatbotResponderSettings {
    if (!input) return current;
    const keep = <T>(value: T | undefined, old: T): T => (value === undefined ? old : value);
    return {
      type: input.type,
      baseUrl: keep(input.baseUrl, current.baseUrl)?.replace(/\/+$/, '') ?? null,
      model: keep(input.model, current.model),
      temperature: keep(input.temperature, current.temperature),
      maxTokens: keep(input.maxTokens, current.maxTokens),
      acceptsImages: keep(input.acceptsImages, current.acceptsImages),
      transcriptionModel: keep(input.transcriptionModel, current.transcriptionModel),
      apiKey:
        input.apiKey === undefined
          ? current.apiKey
          : input.apiKey === null
            ? null
            : this.secrets.seal(input.apiKey, chatbotKeyPlace(chatbotId)),
    };
  }

  private record(
    auth: Actor,
    action: string,
    id: string,
    metadata: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action,
      target: { type: 'chatbot', id },
      outcome: 'success',
      metadata,
    });
  }
}
