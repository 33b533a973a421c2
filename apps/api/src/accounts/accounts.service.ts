import { Injectable } from '@nestjs/common';
import { AUTH_RULES, Role } from '@conecta/contracts';
import { AppError } from '../common/errors/app-error';
import { hashPassword } from '../auth/password';
import { AccountsRepository } from './accounts.repository';
import type { UserCredentials, UserRecord, WorkspaceRecord } from './accounts.types';
import { isDuplicateKeyError } from '../database/repository-helpers';
import type { WorkspaceId } from '../common/workspace-id';

/** The one password policy of new passwords (first admin, invited users, password changes). */
export function checkNewPassword(password: string, field: string): void {
  if (password.length < AUTH_RULES.newPassword.minLength) {
    throw AppError.validation([
      {
        field,
        code: 'minLength',
        message: `must be at least ${AUTH_RULES.newPassword.minLength} characters`,
      },
    ]);
  }
}

/** Workspaces (tenants) and their users. */
@Injectable()
export class AccountsService {
  constructor(private readonly repo: AccountsRepository) {}

  createWorkspace(name: string): Promise<WorkspaceRecord> {
    return this.repo.createWorkspace(name.trim());
  }

  /** Removes a workspace left without users (a first-run seed that lost the race). */
  deleteEmptyWorkspace(workspaceId: WorkspaceId): Promise<void> {
    return this.repo.deleteEmptyWorkspace(workspaceId);
  }

  async getWorkspace(workspaceId: WorkspaceId): Promise<WorkspaceRecord> {
    const ws = await this.repo.findWorkspace(workspaceId);
    if (!ws) throw AppError.notFound('Workspace');
    return ws;
  }

  /** Creates a user with a hashed password; CONFLICT (reason EMAIL_TAKEN) when the email is used. */
  async createUser(input: {
    workspaceId: WorkspaceId;
    email: string;
    name: string;
    role: Role;
    password: string;
  }): Promise<UserRecord> {
    const email = input.email.trim().toLowerCase();
    if (!AUTH_RULES.email.pattern.test(email)) {
      throw AppError.validation([
        { field: 'email', code: 'pattern', message: 'must be an email address' },
      ]);
    }
    checkNewPassword(input.password, 'password');
    try {
      return await this.repo.createUser({
        workspaceId: input.workspaceId,
        email,
        name: input.name,
        role: input.role,
        passwordHash: await hashPassword(input.password),
      });
    } catch (err) {
      if (isDuplicateKeyError(err))
        throw AppError.conflict('EMAIL_TAKEN', 'A user with this email exists');
      throw err;
    }
  }

  async getUser(workspaceId: WorkspaceId, userId: string): Promise<UserRecord> {
    const user = await this.repo.findUser(workspaceId, userId);
    if (!user) throw AppError.notFound('User');
    return user;
  }

  findUserOrNull(workspaceId: WorkspaceId, userId: string): Promise<UserRecord | null> {
    return this.repo.findUser(workspaceId, userId);
  }

  findCredentialsByEmail(email: string): Promise<UserCredentials | null> {
    return this.repo.findCredentialsByEmail(email.trim().toLowerCase());
  }

  listUsers(workspaceId: WorkspaceId): Promise<UserRecord[]> {
    return this.repo.listUsers(workspaceId);
  }

  countActiveAdmins(workspaceId: WorkspaceId): Promise<number> {
    return this.repo.countActiveAdmins(workspaceId);
  }

  async updateUser(
    workspaceId: WorkspaceId,
    userId: string,
    set: { role?: Role; deactivatedAt?: Date | null },
  ): Promise<UserRecord> {
    const user = await this.repo.updateUser(workspaceId, userId, set);
    if (!user) throw AppError.notFound('User');
    return user;
  }

  /** Replaces a user's password (checked against the policy first). */
  async setPassword(workspaceId: WorkspaceId, userId: string, password: string): Promise<void> {
    checkNewPassword(password, 'newPassword');
    const user = await this.repo.updateUser(workspaceId, userId, {
      passwordHash: await hashPassword(password),
    });
    if (!user) throw AppError.notFound('User');
  }

  deleteUser(workspaceId: WorkspaceId, userId: string): Promise<boolean> {
    return this.repo.deleteUser(workspaceId, userId);
  }

  findCredentials(workspaceId: WorkspaceId, userId: string): Promise<UserCredentials | null> {
    return this.repo.findCredentials(workspaceId, userId);
  }

  countUsers(): Promise<number> {
    return this.repo.countUsers();
  }
}
