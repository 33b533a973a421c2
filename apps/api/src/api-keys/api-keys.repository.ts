import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ApiKeyView, Role } from '@conecta/contracts';
import { Model, Types } from 'mongoose';
import { API_KEY_MODEL, ApiKeyDoc } from './api-key.schema';
import { oid } from '../database/repository-helpers';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';

/** What the auth guard needs to know about a presented key. */
export interface ApiKeyIdentity {
  id: string;
  workspaceId: WorkspaceId;
  role: Role;
  /** The user who created it: the key works only while that user is active. */
  createdBy: string | null;
  lastUsedAt: Date | null;
}

function toView(doc: ApiKeyDoc): ApiKeyView {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    prefix: doc.prefix,
    role: doc.role ?? 'admin',
    createdBy: doc.createdBy,
    createdByKeyId: doc.createdByKeyId ?? null,
    createdAt: doc.createdAt.toISOString(),
    lastUsedAt: doc.lastUsedAt ? doc.lastUsedAt.toISOString() : null,
    revokedAt: doc.revokedAt ? doc.revokedAt.toISOString() : null,
  };
}

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectModel(API_KEY_MODEL) private readonly model: Model<ApiKeyDoc>) {}

  async create(input: {
    workspaceId: WorkspaceId;
    name: string;
    keyHash: string;
    prefix: string;
    role: Role;
    createdBy: string | null;
    createdByKeyId: string | null;
  }): Promise<ApiKeyView> {
    const doc = await this.model.create({
      ...input,
      workspaceId: new Types.ObjectId(input.workspaceId),
    });
    return toView(doc.toObject());
  }

  async list(workspaceId: WorkspaceId): Promise<ApiKeyView[]> {
    const docs = await this.model
      .find({ workspaceId: new Types.ObjectId(workspaceId) })
      .sort({ createdAt: -1 })
      .lean<ApiKeyDoc[]>()
      .exec();
    return docs.map(toView);
  }

  /** Marks a key revoked; null when the workspace has no such key. */
  async revoke(workspaceId: WorkspaceId, keyId: string, at: Date): Promise<ApiKeyView | null> {
    const id = oid(keyId);
    if (!id) return null;
    const filter = { _id: id, workspaceId: new Types.ObjectId(workspaceId) };
    await this.model.updateOne({ ...filter, revokedAt: null }, { $set: { revokedAt: at } }).exec();
    const doc = await this.model.findOne(filter).lean<ApiKeyDoc>().exec();
    return doc ? toView(doc) : null;
  }

  /** Revokes every live key a user created (when the user is removed). */
  async revokeCreatedBy(workspaceId: WorkspaceId, userId: string, at: Date): Promise<number> {
    const res = await this.model
      .updateMany(
        { workspaceId: new Types.ObjectId(workspaceId), createdBy: userId, revokedAt: null },
        { $set: { revokedAt: at } },
      )
      .exec();
    return res.modifiedCount;
  }

  /** Looks up an unrevoked key by its hash (the hash is the credential, so no workspace scope). */
  async findActiveByHash(keyHash: string): Promise<ApiKeyIdentity | null> {
    const doc = await this.model.findOne({ keyHash, revokedAt: null }).lean<ApiKeyDoc>().exec();
    return doc
      ? {
          id: doc._id.toHexString(),
          workspaceId: workspaceIdOf(doc.workspaceId),
          role: doc.role ?? 'admin',
          createdBy: doc.createdBy,
          lastUsedAt: doc.lastUsedAt,
        }
      : null;
  }

  /** Sets lastUsedAt unless it was set after `unlessAfter` (keeps writes to one a minute). */
  async touch(workspaceId: WorkspaceId, keyId: string, at: Date, unlessAfter: Date): Promise<void> {
    await this.model
      .updateOne(
        {
          _id: new Types.ObjectId(keyId),
          workspaceId: new Types.ObjectId(workspaceId),
          $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: unlessAfter } }],
        },
        { $set: { lastUsedAt: at } },
      )
      .exec();
  }
}
