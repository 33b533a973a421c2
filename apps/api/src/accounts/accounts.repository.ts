import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Role } from '@conecta/contracts';
import { Model, Types } from 'mongoose';
import type { UserCredentials, UserRecord, WorkspaceRecord } from './accounts.types';
import { USER_MODEL, UserDoc } from './user.schema';
import { WORKSPACE_MODEL, WorkspaceDoc } from './workspace.schema';
import { oid } from '../database/repository-helpers';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';

function toWorkspace(doc: WorkspaceDoc): WorkspaceRecord {
  return { id: workspaceIdOf(doc._id), name: doc.name, createdAt: doc.createdAt };
}

function toUser(doc: UserDoc): UserRecord {
  return {
    id: doc._id.toHexString(),
    workspaceId: workspaceIdOf(doc.workspaceId),
    email: doc.email,
    name: doc.name,
    role: doc.role,
    active: !doc.deactivatedAt,
    createdAt: doc.createdAt,
  };
}

/** Workspaces and users. Workspace-owned reads take the workspace id. */
@Injectable()
export class AccountsRepository {
  constructor(
    @InjectModel(WORKSPACE_MODEL) private readonly workspaces: Model<WorkspaceDoc>,
    @InjectModel(USER_MODEL) private readonly users: Model<UserDoc>,
  ) {}

  async createWorkspace(name: string): Promise<WorkspaceRecord> {
    const doc = await this.workspaces.create({ name });
    return toWorkspace(doc.toObject());
  }

  /** Removes a workspace that has no user (a first-run seed that lost the race to another process). */
  async deleteEmptyWorkspace(workspaceId: WorkspaceId): Promise<void> {
    const id = new Types.ObjectId(workspaceId);
    if ((await this.users.countDocuments({ workspaceId: id }).exec()) > 0) return;
    await this.workspaces.deleteOne({ _id: id }).exec();
  }

  async findWorkspace(workspaceId: WorkspaceId): Promise<WorkspaceRecord | null> {
    const id = oid(workspaceId);
    if (!id) return null;
    const doc = await this.workspaces.findById(id).lean<WorkspaceDoc>().exec();
    return doc ? toWorkspace(doc) : null;
  }

  async createUser(input: {
    workspaceId: WorkspaceId;
    email: string;
    name: string;
    role: Role;
    passwordHash: string;
  }): Promise<UserRecord> {
    const doc = await this.users.create({
      ...input,
      workspaceId: new Types.ObjectId(input.workspaceId),
    });
    return toUser(doc.toObject());
  }

  async findUser(workspaceId: WorkspaceId, userId: string): Promise<UserRecord | null> {
    const id = oid(userId);
    const ws = oid(workspaceId);
    if (!id || !ws) return null;
    const doc = await this.users.findOne({ _id: id, workspaceId: ws }).lean<UserDoc>().exec();
    return doc ? toUser(doc) : null;
  }

  /** Sign-in lookup: the only unscoped read, by the globally unique email. */
  async findCredentialsByEmail(email: string): Promise<UserCredentials | null> {
    const doc = await this.users.findOne({ email }).lean<UserDoc>().exec();
    return doc ? { ...toUser(doc), passwordHash: doc.passwordHash } : null;
  }

  async listUsers(workspaceId: WorkspaceId): Promise<UserRecord[]> {
    const docs = await this.users
      .find({ workspaceId: new Types.ObjectId(workspaceId) })
      .sort({ createdAt: 1 })
      .lean<UserDoc[]>()
      .exec();
    return docs.map(toUser);
  }

  /** Active admins of a workspace (the last one cannot be demoted, deactivated or removed). */
  countActiveAdmins(workspaceId: WorkspaceId): Promise<number> {
    return this.users
      .countDocuments({
        workspaceId: new Types.ObjectId(workspaceId),
        role: 'admin',
        deactivatedAt: null,
      })
      .exec();
  }

  /** Changes some of a user's fields; the user as it is now, or null when not in the workspace. */
  async updateUser(
    workspaceId: WorkspaceId,
    userId: string,
    set: { role?: Role; deactivatedAt?: Date | null; passwordHash?: string },
  ): Promise<UserRecord | null> {
    const id = oid(userId);
    if (!id) return null;
    const filter = { _id: id, workspaceId: new Types.ObjectId(workspaceId) };
    await this.users.updateOne(filter, { $set: set }).exec();
    const doc = await this.users.findOne(filter).lean<UserDoc>().exec();
    return doc ? toUser(doc) : null;
  }

  async deleteUser(workspaceId: WorkspaceId, userId: string): Promise<boolean> {
    const id = oid(userId);
    if (!id) return false;
    const res = await this.users
      .deleteOne({ _id: id, workspaceId: new Types.ObjectId(workspaceId) })
      .exec();
    return res.deletedCount > 0;
  }

  /** A user with the hash, to check their current password. */
  async findCredentials(workspaceId: WorkspaceId, userId: string): Promise<UserCredentials | null> {
    const id = oid(userId);
    const ws = oid(workspaceId);
    if (!id || !ws) return null;
    const doc = await this.users.findOne({ _id: id, workspaceId: ws }).lean<UserDoc>().exec();
    return doc ? { ...toUser(doc), passwordHash: doc.passwordHash } : null;
  }

  async countUsers(): Promise<number> {
    return this.users.countDocuments({}).exec();
  }
}
