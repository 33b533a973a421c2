import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { TemplateComponentView } from '@conecta/contracts';
import type { Model } from 'mongoose';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';
import { isDuplicateKeyError } from '../database/repository-helpers';
import { type TemplateDoc, WhatsAppTemplate } from './template.schema';

export interface TemplateRecord {
  id: string;
  workspaceId: WorkspaceId;
  integrationId: string;
  businessAccountId: string;
  metaId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  components: TemplateComponentView[];
  qualityScore: string | null;
  rejectedReason: string | null;
  syncedAt: Date;
}

export type TemplateInput = Omit<TemplateRecord, 'id'>;

function toRecord(d: TemplateDoc): TemplateRecord {
  return {
    id: d._id.toHexString(),
    workspaceId: workspaceIdOf(d.workspaceId),
    integrationId: d.integrationId,
    businessAccountId: d.businessAccountId,
    metaId: d.metaId,
    name: d.name,
    language: d.language,
    category: d.category,
    status: d.status,
    components: d.components ?? [],
    qualityScore: d.qualityScore ?? null,
    rejectedReason: d.rejectedReason ?? null,
    syncedAt: d.syncedAt,
  };
}

/** The synced templates of each integration; unique by (integrationId, name, language). */
@Injectable()
export class TemplatesRepository {
  constructor(@InjectModel(WhatsAppTemplate.name) private readonly model: Model<TemplateDoc>) {}

  async list(workspaceId: WorkspaceId, integrationId: string): Promise<TemplateRecord[]> {
    const docs = await this.model
      .find({ workspaceId, integrationId })
      .sort({ name: 1, language: 1 })
      .lean<TemplateDoc[]>();
    return docs.map(toRecord);
  }

  async find(
    workspaceId: WorkspaceId,
    integrationId: string,
    name: string,
    language: string,
  ): Promise<TemplateRecord | null> {
    const doc = await this.model
      .findOne({ workspaceId, integrationId, name, language })
      .lean<TemplateDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Writes one template as Meta describes it now; `true` when it was new. */
  async upsert(input: TemplateInput): Promise<boolean> {
    const { workspaceId, integrationId, name, language } = input;
    const existing = await this.model
      .findOne({ workspaceId, integrationId, name, language }, { _id: 1 })
      .lean<Pick<TemplateDoc, '_id'>>();
    const fields = {
      ...input,
      qualityScore: input.qualityScore ?? undefined,
      rejectedReason: input.rejectedReason ?? undefined,
    };
    if (existing) {
      await this.model.replaceOne({ _id: existing._id }, fields);
      return false;
    }
    try {
      await this.model.create(fields);
      return true;
    } catch (err) {
      // A concurrent sync inserted it first: the unique index kept one; describe it as now.
      if (!isDuplicateKeyError(err)) throw err;
      await this.model.replaceOne({ workspaceId, integrationId, name, language }, fields);
      return false;
    }
  }

  /**
   * Applies what a webhook says about one template, found by Meta's id, else by name and language.
   * `null` removes a field (a rejection reason once approved again). True when a template matched.
   */
  async applyChange(
    workspaceId: WorkspaceId,
    integrationId: string,
    which: { metaId?: string; name?: string; language?: string },
    change: { status?: string; category?: string; rejectedReason?: string | null },
  ): Promise<boolean> {
    const set: Record<string, string> = {};
    const unset: Record<string, ''> = {};
    if (change.status) set.status = change.status;
    if (change.category) set.category = change.category;
    if (change.rejectedReason) set.rejectedReason = change.rejectedReason;
    else if (change.rejectedReason === null) unset.rejectedReason = '';
    const update = {
      ...(Object.keys(set).length > 0 ? { $set: set } : {}),
      ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
    };
    if (Object.keys(update).length === 0) return false;
    const filters = [
      ...(which.metaId ? [{ workspaceId, integrationId, metaId: which.metaId }] : []),
      ...(which.name && which.language
        ? [{ workspaceId, integrationId, name: which.name, language: which.language }]
        : []),
    ];
    for (const filter of filters) {
      const result = await this.model.updateOne(filter, update);
      if (result.matchedCount > 0) return true;
    }
    return false;
  }

  /** Removes the templates this sync did not see (deleted at Meta). Returns how many. */
  async removeNotSyncedSince(
    workspaceId: WorkspaceId,
    integrationId: string,
    syncedAt: Date,
  ): Promise<number> {
    const result = await this.model.deleteMany({
      workspaceId,
      integrationId,
      syncedAt: { $lt: syncedAt },
    });
    return result.deletedCount ?? 0;
  }
}
