import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Platform } from '@conecta/contracts';
import { Model, Types } from 'mongoose';
import type { EncryptedSecret } from '../crypto/secret-box';
import { ConnectionDetailsDoc, INTEGRATION_MODEL, IntegrationDoc } from './integration.schema';
import {
  INTEGRATION_ACTIVITY_MODEL,
  type IntegrationActivityDoc,
} from './integration-activity.schema';
import { isDuplicateKeyError, oid, oids, workspaceOid } from '../database/repository-helpers';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';

export { isDuplicateKeyError } from '../database/repository-helpers';

/** An integration as stored (credentials still sealed), with string ids. */
export type IntegrationRow = Omit<
  IntegrationDoc,
  '_id' | 'workspaceId' | 'chatbotId' | 'createdBy'
> & {
  id: string;
  workspaceId: WorkspaceId;
  chatbotId: string;
};

/** When an integration was last heard from (its own document: see IntegrationActivityDoc). */
export interface IntegrationActivity {
  lastActivity: Date | null;
  lastWebhookAt: Date | null;
  lastSendOkAt: Date | null;
}

export const NO_ACTIVITY: IntegrationActivity = {
  lastActivity: null,
  lastWebhookAt: null,
  lastSendOkAt: null,
};

export interface NewIntegration {
  /** From {@link IntegrationsRepository.newId}: secrets are sealed bound to it before the insert. */
  id: string;
  workspaceId: WorkspaceId;
  chatbotId: string;
  platform: Platform;
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: EncryptedSecret;
  tokenLast4: string;
  appSecret: EncryptedSecret | null;
  webhookVerifyToken: EncryptedSecret;
  webhookVerifyTokenHash: string;
  connection: ConnectionDetailsDoc | null;
  testedAt: Date;
  subscribedAt: Date | null;
  createdBy: string | null;
}

/** Fields an update may set; absent ones are left alone. */
export type IntegrationPatch = Partial<
  Pick<
    IntegrationRow,
    | 'isActive'
    | 'health'
    | 'phoneNumberId'
    | 'businessAccountId'
    | 'accessToken'
    | 'tokenLast4'
    | 'appSecret'
    | 'webhookVerifyToken'
    | 'webhookVerifyTokenHash'
    | 'errorType'
    | 'errorDetail'
    | 'connection'
    | 'lastTestedAt'
    | 'subscribedAt'
  >
>;

function toRow(doc: IntegrationDoc): IntegrationRow {
  return {
    id: doc._id.toHexString(),
    workspaceId: workspaceIdOf(doc.workspaceId),
    chatbotId: doc.chatbotId.toHexString(),
    platform: doc.platform,
    isActive: doc.isActive,
    health: doc.health,
    phoneNumberId: doc.phoneNumberId,
    businessAccountId: doc.businessAccountId,
    accessToken: doc.accessToken,
    tokenLast4: doc.tokenLast4,
    appSecret: doc.appSecret ?? null,
    webhookVerifyToken: doc.webhookVerifyToken,
    webhookVerifyTokenHash: doc.webhookVerifyTokenHash,
    errorType: doc.errorType ?? null,
    errorDetail: doc.errorDetail ?? null,
    connection: doc.connection ?? null,
    lastTestedAt: doc.lastTestedAt ?? null,
    subscribedAt: doc.subscribedAt ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/**
 * The only code that knows how integrations are stored. Reads, updates and deletes take the
 * workspace (a {@link WorkspaceId}); the lookups that are global by nature (a phone number or WABA
 * is connected once across workspaces; the id is what Meta sends) say so in their names
 * (`…AnyWorkspace`), and the webhook's are used only through IntegrationRouting. The health
 * check's sweep and the error gauge read every workspace, as jobs of the whole server.
 */
@Injectable()
export class IntegrationsRepository {
  constructor(
    @InjectModel(INTEGRATION_MODEL) private readonly model: Model<IntegrationDoc>,
    @InjectModel(INTEGRATION_ACTIVITY_MODEL)
    private readonly activity: Model<IntegrationActivityDoc>,
  ) {}

  /** A fresh record id, for sealing secrets bound to the record before it is inserted. */
  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async create(input: NewIntegration): Promise<IntegrationRow> {
    const doc = await this.model.create({
      _id: new Types.ObjectId(input.id),
      workspaceId: new Types.ObjectId(input.workspaceId),
      chatbotId: new Types.ObjectId(input.chatbotId),
      platform: input.platform,
      isActive: true,
      health: 'connected',
      phoneNumberId: input.phoneNumberId,
      businessAccountId: input.businessAccountId,
      accessToken: input.accessToken,
      tokenLast4: input.tokenLast4,
      appSecret: input.appSecret,
      webhookVerifyToken: input.webhookVerifyToken,
      webhookVerifyTokenHash: input.webhookVerifyTokenHash,
      errorType: null,
      errorDetail: null,
      connection: input.connection,
      lastTestedAt: input.testedAt,
      subscribedAt: input.subscribedAt,
      createdBy: input.createdBy,
    });
    return toRow(doc.toObject());
  }

  async list(
    workspaceId: WorkspaceId,
    filter: { chatbotId?: string } = {},
  ): Promise<IntegrationRow[]> {
    const query: Record<string, unknown> = { workspaceId: new Types.ObjectId(workspaceId) };
    if (filter.chatbotId !== undefined) {
      const chatbotId = oid(filter.chatbotId);
      if (!chatbotId) return [];
      query.chatbotId = chatbotId;
    }
    const docs = await this.model
      .find(query)
      .sort({ createdAt: 1 })
      .lean<IntegrationDoc[]>()
      .exec();
    return docs.map(toRow);
  }

  async findById(workspaceId: WorkspaceId, id: string): Promise<IntegrationRow | null> {
    const _id = oid(id);
    if (!_id) return null;
    const doc = await this.model
      .findOne({ _id, workspaceId: new Types.ObjectId(workspaceId) })
      .lean<IntegrationDoc>()
      .exec();
    return doc ? toRow(doc) : null;
  }

  /** Updates and returns the new state; null when the workspace has no such integration. */
  async update(
    workspaceId: WorkspaceId,
    id: string,
    patch: IntegrationPatch,
  ): Promise<IntegrationRow | null> {
    const _id = oid(id);
    if (!_id) return null;
    const doc = await this.model
      .findOneAndUpdate(
        { _id, workspaceId: new Types.ObjectId(workspaceId) },
        { $set: patch },
        { new: true },
      )
      .lean<IntegrationDoc>()
      .exec();
    return doc ? toRow(doc) : null;
  }

  async delete(workspaceId: WorkspaceId, id: string): Promise<boolean> {
    const _id = oid(id);
    if (!_id) return false;
    const res = await this.model
      .deleteOne({ _id, workspaceId: new Types.ObjectId(workspaceId) })
      .exec();
    await this.activity.deleteOne({ _id, workspaceId: workspaceOid(workspaceId) }).exec();
    return res.deletedCount === 1;
  }

  /** Across all workspaces: the phone number id is unique platform-wide (Meta routes by it). */
  async findByPhoneNumberIdAnyWorkspace(phoneNumberId: string): Promise<IntegrationRow | null> {
    const doc = await this.model.findOne({ phoneNumberId }).lean<IntegrationDoc>().exec();
    return doc ? toRow(doc) : null;
  }

  async findByChatbot(
    workspaceId: WorkspaceId,
    chatbotId: string,
    platform: Platform,
  ): Promise<IntegrationRow | null> {
    const id = oid(chatbotId);
    if (!id) return null;
    const doc = await this.model
      .findOne({ workspaceId: new Types.ObjectId(workspaceId), chatbotId: id, platform })
      .lean<IntegrationDoc>()
      .exec();
    return doc ? toRow(doc) : null;
  }

  /**
   * Every integration (any workspace) of these business accounts: Meta signs everything of a WABA
   * with the one app's secret, so the webhook finds its candidate secrets by `entry[].id`.
   */
  async listByBusinessAccountsAnyWorkspace(
    businessAccountIds: string[],
  ): Promise<IntegrationRow[]> {
    if (businessAccountIds.length === 0) return [];
    const docs = await this.model
      .find({ businessAccountId: { $in: businessAccountIds } })
      .lean<IntegrationDoc[]>()
      .exec();
    return docs.map(toRow);
  }

  /** How many integrations (any workspace) other than `exceptId` use this business account. */
  async countOthersOnBusinessAccountAnyWorkspace(
    businessAccountId: string,
    exceptId: string,
  ): Promise<number> {
    return this.model
      .countDocuments({ businessAccountId, _id: { $ne: new Types.ObjectId(exceptId) } })
      .exec();
  }

  /** Verify-token hashes are credentials themselves, so this lookup is global. */
  async findVerifyTokenHash(hash: string): Promise<string | null> {
    const doc = await this.model
      .findOne({ webhookVerifyTokenHash: hash }, { webhookVerifyTokenHash: 1 })
      .lean<Pick<IntegrationDoc, '_id' | 'webhookVerifyTokenHash'>>()
      .exec();
    return doc ? doc.webhookVerifyTokenHash : null;
  }

  /** Sets what a test, a health check or a send learned (status, error, connection details). */
  async updateStatus(workspaceId: WorkspaceId, id: string, patch: IntegrationPatch): Promise<void> {
    const _id = oid(id);
    if (!_id) return;
    await this.model
      .updateOne({ _id, workspaceId: workspaceOid(workspaceId) }, { $set: patch })
      .exec();
  }

  /**
   * Moves lastActivity and the given timestamps: a plain upsert of the integration's activity
   * document, never a write of the integration itself (whose status another writer may be setting).
   */
  async touchActivity(
    workspaceId: WorkspaceId,
    id: string,
    at: { lastActivity: Date; lastWebhookAt?: Date; lastSendOkAt?: Date },
  ): Promise<void> {
    const _id = oid(id);
    if (!_id) return;
    const write = () =>
      this.activity
        .updateOne({ _id, workspaceId: workspaceOid(workspaceId) }, { $set: at }, { upsert: true })
        .exec();
    try {
      await write();
    } catch (err) {
      // Two first writes raced to insert the document: the loser's write is now an update.
      if (!isDuplicateKeyError(err)) throw err;
      await write();
    }
  }

  /** The activity of these integrations of the workspace, in one query; absent ones have none. */
  async activityOf(
    workspaceId: WorkspaceId,
    ids: readonly string[],
  ): Promise<Map<string, IntegrationActivity>> {
    const found = new Map<string, IntegrationActivity>();
    if (ids.length === 0) return found;
    const docs = await this.activity
      .find({ _id: { $in: oids(ids) }, workspaceId: workspaceOid(workspaceId) })
      .lean<IntegrationActivityDoc[]>()
      .exec();
    for (const doc of docs) {
      found.set(doc._id.toHexString(), {
        lastActivity: doc.lastActivity ?? null,
        lastWebhookAt: doc.lastWebhookAt ?? null,
        lastSendOkAt: doc.lastSendOkAt ?? null,
      });
    }
    return found;
  }

  /** Every active integration's own error state, across workspaces (for the metrics gauge). */
  async listActiveErrorStates(): Promise<
    Pick<IntegrationRow, 'id' | 'workspaceId' | 'isActive' | 'health' | 'errorType'>[]
  > {
    const docs = await this.model
      .find({ isActive: true }, { workspaceId: 1, isActive: 1, health: 1, errorType: 1 })
      .lean<Pick<IntegrationDoc, '_id' | 'workspaceId' | 'isActive' | 'health' | 'errorType'>[]>()
      .exec();
    return docs.map((d) => ({
      id: d._id.toHexString(),
      workspaceId: workspaceIdOf(d.workspaceId),
      isActive: d.isActive,
      health: d.health,
      errorType: d.errorType,
    }));
  }

  /** Active WhatsApp integrations for the health check, oldest test first. */
  async listActiveForHealthCheck(limit: number): Promise<IntegrationRow[]> {
    const docs = await this.model
      .find({ platform: 'WHATSAPP', isActive: true })
      .sort({ lastTestedAt: 1, _id: 1 })
      .limit(limit)
      .lean<IntegrationDoc[]>()
      .exec();
    return docs.map(toRow);
  }
}
