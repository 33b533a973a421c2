import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { InvitationView, Role } from '@conecta/contracts';
import { Model, Types } from 'mongoose';
import { isDuplicateKeyError, oid } from '../database/repository-helpers';
import {
  INVITATION_MODEL,
  INVITATION_USE_MODEL,
  InvitationDoc,
  InvitationUseDoc,
} from './invitation.schema';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';

export interface InvitationRecord extends InvitationView {
  workspaceId: WorkspaceId;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

function toRecord(doc: InvitationDoc): InvitationRecord {
  return {
    id: doc._id.toHexString(),
    workspaceId: workspaceIdOf(doc.workspaceId),
    email: doc.email,
    role: doc.role,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt.toISOString(),
    expiresAt: doc.expiresAt.toISOString(),
    acceptedAt: doc.acceptedAt,
    revokedAt: doc.revokedAt,
  };
}

@Injectable()
export class InvitationsRepository {
  constructor(
    @InjectModel(INVITATION_MODEL) private readonly invitations: Model<InvitationDoc>,
    @InjectModel(INVITATION_USE_MODEL) private readonly uses: Model<InvitationUseDoc>,
  ) {}

  async create(input: {
    workspaceId: WorkspaceId;
    email: string;
    role: Role;
    tokenHash: string;
    createdBy: string | null;
    expiresAt: Date;
    createdAt: Date;
  }): Promise<InvitationRecord> {
    const doc = await this.invitations.create({
      ...input,
      workspaceId: new Types.ObjectId(input.workspaceId),
    });
    return toRecord(doc.toObject());
  }

  /** Invitations neither used nor revoked that expire after `now`, newest first. */
  async listPending(workspaceId: WorkspaceId, now: Date): Promise<InvitationRecord[]> {
    const docs = await this.invitations
      .find({
        workspaceId: new Types.ObjectId(workspaceId),
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { $gt: now },
      })
      .sort({ createdAt: -1 })
      .lean<InvitationDoc[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** The invitation of a link's token hash (the hash is the credential, so no workspace scope). */
  async findByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    const doc = await this.invitations.findOne({ tokenHash }).lean<InvitationDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Takes the one use of an invitation; false when it was used before. */
  async claim(invitationId: string, at: Date): Promise<boolean> {
    try {
      await this.uses.create({ _id: invitationId, at });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Gives a use back (the user could not be created, e.g. the email was taken meanwhile). */
  async unclaim(invitationId: string): Promise<void> {
    await this.uses.deleteOne({ _id: invitationId }).exec();
  }

  async markAccepted(invitationId: string, at: Date): Promise<void> {
    await this.invitations
      .updateOne({ _id: new Types.ObjectId(invitationId) }, { $set: { acceptedAt: at } })
      .exec();
  }

  /** Revokes a pending invitation; null when the workspace has no such invitation. */
  async revoke(
    workspaceId: WorkspaceId,
    invitationId: string,
    at: Date,
  ): Promise<InvitationRecord | null> {
    const id = oid(invitationId);
    if (!id) return null;
    const filter = { _id: id, workspaceId: new Types.ObjectId(workspaceId) };
    await this.invitations
      .updateOne({ ...filter, revokedAt: null }, { $set: { revokedAt: at } })
      .exec();
    const doc = await this.invitations.findOne(filter).lean<InvitationDoc>().exec();
    return doc ? toRecord(doc) : null;
  }
}
