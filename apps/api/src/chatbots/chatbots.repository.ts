import { CONSENT_DEFAULTS, HANDOFF_DEFAULTS } from '@conecta/contracts';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { CHATBOT_MODEL, ChatbotDoc } from './chatbot.schema';
import type { ChatbotRecord } from './chatbot.types';
import { oid } from '../database/repository-helpers';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';

/** `id` comes from {@link ChatbotsRepository.newId}: its LLM key is sealed bound to it. */
export type NewChatbot = Omit<ChatbotRecord, 'createdAt' | 'updatedAt'>;
export type ChatbotChanges = Partial<
  Omit<ChatbotRecord, 'id' | 'workspaceId' | 'publicId' | 'createdAt' | 'updatedAt'>
>;

function toRecord(doc: ChatbotDoc): ChatbotRecord {
  return {
    id: doc._id.toHexString(),
    workspaceId: workspaceIdOf(doc.workspaceId),
    publicId: doc.publicId,
    name: doc.name,
    language: doc.language,
    welcomeMessage: doc.welcomeMessage ?? '',
    instructions: doc.instructions ?? '',
    fallbackMessage: doc.fallbackMessage,
    faq: (doc.faq ?? []).map((f) => ({ keywords: [...f.keywords], answer: f.answer })),
    responder: {
      type: doc.responder.type,
      baseUrl: doc.responder.baseUrl ?? null,
      model: doc.responder.model ?? null,
      temperature: doc.responder.temperature ?? null,
      maxTokens: doc.responder.maxTokens ?? null,
      acceptsImages: doc.responder.acceptsImages ?? false,
      transcriptionModel: doc.responder.transcriptionModel ?? null,
      apiKey: doc.responder.apiKey ?? null,
    },
    publicChatEnabled: doc.publicChatEnabled,
    handoff: doc.handoff
      ? {
          ...HANDOFF_DEFAULTS[doc.language],
          ...doc.handoff,
          keywords: [...doc.handoff.keywords],
        }
      : {
          ...HANDOFF_DEFAULTS[doc.language],
          keywords: [...HANDOFF_DEFAULTS[doc.language].keywords],
        },
    consent: {
      ...CONSENT_DEFAULTS,
      ...doc.consent,
      optOutKeywords: [...(doc.consent?.optOutKeywords ?? CONSENT_DEFAULTS.optOutKeywords)],
      optInKeywords: [...(doc.consent?.optInKeywords ?? CONSENT_DEFAULTS.optInKeywords)],
    },
    singleMessageReplies: doc.singleMessageReplies ?? false,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

@Injectable()
export class ChatbotsRepository {
  constructor(@InjectModel(CHATBOT_MODEL) private readonly model: Model<ChatbotDoc>) {}

  /** A fresh record id, for sealing secrets bound to the record before it is inserted. */
  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async create(input: NewChatbot): Promise<ChatbotRecord> {
    const { id, ...fields } = input;
    const doc = await this.model.create({
      ...fields,
      _id: new Types.ObjectId(id),
      workspaceId: new Types.ObjectId(input.workspaceId),
    });
    return toRecord(doc.toObject());
  }

  async list(workspaceId: WorkspaceId): Promise<ChatbotRecord[]> {
    const ws = oid(workspaceId);
    if (!ws) return [];
    const docs = await this.model
      .find({ workspaceId: ws })
      .sort({ createdAt: -1 })
      .lean<ChatbotDoc[]>()
      .exec();
    return docs.map(toRecord);
  }

  async find(workspaceId: WorkspaceId, chatbotId: string): Promise<ChatbotRecord | null> {
    const id = oid(chatbotId);
    const ws = oid(workspaceId);
    if (!id || !ws) return null;
    const doc = await this.model.findOne({ _id: id, workspaceId: ws }).lean<ChatbotDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** By the public id of the chat endpoint; the public id itself selects the workspace. */
  async findByPublicId(publicId: string): Promise<ChatbotRecord | null> {
    const doc = await this.model.findOne({ publicId }).lean<ChatbotDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  async update(
    workspaceId: WorkspaceId,
    chatbotId: string,
    changes: ChatbotChanges,
  ): Promise<ChatbotRecord | null> {
    const id = oid(chatbotId);
    const ws = oid(workspaceId);
    if (!id || !ws) return null;
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(changes)) if (value !== undefined) set[key] = value;
    const doc = await this.model
      .findOneAndUpdate({ _id: id, workspaceId: ws }, { $set: set }, { new: true })
      .lean<ChatbotDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  async delete(workspaceId: WorkspaceId, chatbotId: string): Promise<boolean> {
    const id = oid(chatbotId);
    const ws = oid(workspaceId);
    if (!id || !ws) return false;
    const res = await this.model.deleteOne({ _id: id, workspaceId: ws }).exec();
    return res.deletedCount === 1;
  }
}
