import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditEntryView } from '@conecta/contracts';
import { FilterQuery, Model, Types } from 'mongoose';
import { AUDIT_MODEL, AuditDoc } from './audit.schema';
import type { WorkspaceId } from '../common/workspace-id';

export type NewAuditEntry = Omit<AuditDoc, '_id' | 'workspaceId'> & {
  workspaceId: WorkspaceId | null;
};

export interface AuditCursor {
  createdAt: Date;
  id: string;
}

function toView(doc: AuditDoc): AuditEntryView {
  return {
    id: doc._id.toHexString(),
    action: doc.action,
    outcome: doc.outcome,
    // Names are read by the service, as things are called now.
    actor: { ...doc.actor, name: null },
    target: doc.target ? { ...doc.target, name: null } : null,
    ip: doc.ip ?? null,
    metadata: doc.metadata ?? {},
    createdAt: doc.createdAt.toISOString(),
  };
}

@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AUDIT_MODEL) private readonly model: Model<AuditDoc>) {}

  /** Replaces a target's id in every entry of the workspace (erasure of a person's label). */
  async relabelTarget(
    workspaceId: WorkspaceId,
    target: { type: string; id: string },
    newId: string,
  ): Promise<number> {
    const res = await this.model
      .updateMany(
        {
          workspaceId: new Types.ObjectId(workspaceId),
          'target.type': target.type,
          'target.id': target.id,
        },
        { $set: { 'target.id': newId } },
      )
      .exec();
    return res.modifiedCount;
  }

  async insert(entry: NewAuditEntry): Promise<void> {
    await this.model.create({
      ...entry,
      workspaceId: entry.workspaceId ? new Types.ObjectId(entry.workspaceId) : null,
    });
  }

  /** Newest first; `after` is the last entry of the previous page. */
  async list(
    workspaceId: WorkspaceId,
    opts: { limit: number; after: AuditCursor | null; action?: string },
  ): Promise<AuditEntryView[]> {
    const filter: FilterQuery<AuditDoc> = { workspaceId: new Types.ObjectId(workspaceId) };
    if (opts.action) filter.action = opts.action;
    if (opts.after) {
      const id = new Types.ObjectId(opts.after.id);
      filter.$or = [
        { createdAt: { $lt: opts.after.createdAt } },
        { createdAt: opts.after.createdAt, _id: { $lt: id } },
      ];
    }
    const docs = await this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(opts.limit)
      .lean<AuditDoc[]>()
      .exec();
    return docs.map(toView);
  }
}
