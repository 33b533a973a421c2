import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { API_KEY_PREFIX, ApiKeyView, CreatedApiKeyResponse, Role } from '@conecta/contracts';
import { AppError } from '../common/errors/app-error';
import type { Actor } from '../common/actor';
import { AuditService } from '../audit/audit.service';
import { ApiKeyIdentity, ApiKeysRepository } from './api-keys.repository';
import type { WorkspaceId } from '../common/workspace-id';

const TOUCH_EVERY_MS = 60_000;
const ROLE_RANK: Record<Role, number> = { agent: 0, admin: 1 };
const DISPLAY_PREFIX_LEN = API_KEY_PREFIX.length + 8;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** API keys for internal REST consumers: shown once, stored as a hash, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repo: ApiKeysRepository,
    private readonly audit: AuditService,
  ) {}

  async create(auth: Actor, name: string, role: Role = 'agent'): Promise<CreatedApiKeyResponse> {
    if (ROLE_RANK[role] > ROLE_RANK[auth.role]) {
      await this.audit.record({
        workspaceId: auth.workspaceId,
        actor: auth,
        action: 'apiKey.create',
        outcome: 'failure',
        metadata: { name: name.trim(), role, reason: 'role-above-creator' },
      });
      throw new AppError('FORBIDDEN', 'A key cannot have a higher role than its creator', {
        reason: 'ROLE_ABOVE_CREATOR',
      });
    }
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const view = await this.repo.create({
      workspaceId: auth.workspaceId,
      name: name.trim(),
      keyHash: hashApiKey(key),
      prefix: key.slice(0, DISPLAY_PREFIX_LEN),
      role,
      createdBy: auth.userId,
      createdByKeyId: auth.apiKeyId,
    });
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'apiKey.create',
      target: { type: 'apiKey', id: view.id },
      outcome: 'success',
      metadata: { name: view.name, prefix: view.prefix, role },
    });
    return { ...view, key };
  }

  list(auth: Actor): Promise<ApiKeyView[]> {
    return this.repo.list(auth.workspaceId);
  }

  async revoke(auth: Actor, keyId: string): Promise<ApiKeyView> {
    const view = await this.repo.revoke(auth.workspaceId, keyId, new Date());
    if (!view) throw AppError.notFound('API key');
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'apiKey.revoke',
      target: { type: 'apiKey', id: view.id },
      outcome: 'success',
      metadata: { name: view.name, prefix: view.prefix },
    });
    return view;
  }

  /** Revokes the keys a removed user created. */
  revokeCreatedBy(workspaceId: WorkspaceId, userId: string): Promise<number> {
    return this.repo.revokeCreatedBy(workspaceId, userId, new Date());
  }

  /** Resolves a presented key to its workspace, or null when unknown or revoked. */
  async authenticate(key: string): Promise<ApiKeyIdentity | null> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
    const identity = await this.repo.findActiveByHash(hashApiKey(key));
    if (!identity) return null;
    const now = new Date();
    if (!identity.lastUsedAt || now.getTime() - identity.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
      await this.repo.touch(
        identity.workspaceId,
        identity.id,
        now,
        new Date(now.getTime() - TOUCH_EVERY_MS),
      );
    }
    return identity;
  }
}
