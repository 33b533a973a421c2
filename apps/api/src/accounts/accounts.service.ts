import { Injectable } from '@nestjs/common';
import { AUTH_RULES, Role } from '@conecta/contracts';
import { AppError } from '../common/errors/app-error';
import { hashPassword } from '../auth/password';
import { AccountsRepository } from './accounts.repository';
import type { UserCredentials, UserRecord, WorkspaceRecord } from './accounts.types';
import { isDuplicateKeyError } from '../database/repository-helpers';

/** Workspaces (tenants) and their users. */
@Injectable()
export class AccountsService {
  constructor(private readonly repo: AccountsRepository) {}

  createWorkspace(name: string): Promise<WorkspaceRecord> {
    return this.repo.createWorkspace(name.trim());
  }

  async getWorkspace(workspaceId: string): Promise<WorkspaceRecord> {
    const ws = await this.repo.findWorkspace(workspaceId);
    if (!ws) throw AppError.notFound('Workspace');
    return ws;
  }

  /** Creates a user with a hashed password; CONFLICT (reason EMAIL_TAKEN) when the email is used. */
  async createUser(input: {
    workspaceId: string;
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
    if (input.password.length < AUTH_RULES.newPassword.minLength) {
      throw AppError.validation([
        {
          field: 'password',
          code: 'minLength',
          message: `must be at least ${AUTH_RULES.newPassword.minLength} characters`,
        },
      ]);
    }
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

  async getUser(workspaceId: string, userId: string): Promise<UserRecord> {
    const user = await this.repo.findUser(workspaceId, userId);
    if (!user) throw AppError.notFound('User');
    return user;
  }

  findUserOrNull(workspaceId: string, userId: string): Promise<UserRecord | null> {
    return this.repo.findUser(workspaceId, userId);
  }

  findCredentialsByEmail(email: string): Promise<UserCredentials | null> {
    return this.repo.findCredentialsByEmail(email.trim().toLowerCase());
  }

  countUsers(): Promise<number> {
    return this.repo.countUsers();
  }
}
