import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { WorkspaceId } from '../common/workspace-id';
import { SecretBox } from '../crypto/secret-box';
import { openIntegration, verifyTokenHash } from './integration-secrets';
import { IntegrationsRepository } from './integrations.repository';
import type { ActiveIntegration } from './integrations.types';

const CACHE_TTL_MS = 5_000;

/**
 * The cross-workspace lookups, all in one place: which integration a webhook (or a send) belongs
 * to, found by phone number id or business account (WABA) id in any workspace, opened and cached
 * (secrets decrypted once per entry, not once per webhook). Everything else is workspace-scoped.
 */
@Injectable()
export class IntegrationRouting {
  /** By phone number id, opened. */
  private readonly cache = new Map<
    string,
    { value: ActiveIntegration | null; expiresAt: number }
  >();
  /** By business account (WABA) id: every integration of it, opened. */
  private readonly wabaCache = new Map<
    string,
    { value: readonly ActiveIntegration[]; expiresAt: number }
  >();

  constructor(
    private readonly repo: IntegrationsRepository,
    private readonly secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The connected integration of a phone number (decrypted), or null when unknown or disconnected. */
  async findActiveByPhoneNumberId(phoneNumberId: string): Promise<ActiveIntegration | null> {
    const found = await this.findByPhoneNumberId(phoneNumberId);
    return found && found.isActive ? found : null;
  }

  /** One integration of this workspace, opened (not cached: for user actions, not webhooks). */
  async findInWorkspace(workspaceId: WorkspaceId, id: string): Promise<ActiveIntegration | null> {
    const row = await this.repo.findById(workspaceId, id);
    return row ? openIntegration(this.secrets, row) : null;
  }

  /** Like {@link findActiveByPhoneNumberId} but also for disconnected numbers. Cached for 5 s. */
  async findByPhoneNumberId(phoneNumberId: string): Promise<ActiveIntegration | null> {
    const now = Date.now();
    const hit = this.cache.get(phoneNumberId);
    if (hit && hit.expiresAt > now) return hit.value;
    const row = await this.repo.findByPhoneNumberIdAnyWorkspace(phoneNumberId);
    // Shared by every caller for CACHE_TTL_MS: frozen, so none can change it for the others.
    const value = row ? Object.freeze(openIntegration(this.secrets, row)) : null;
    this.cache.set(phoneNumberId, { value, expiresAt: now + CACHE_TTL_MS });
    return value;
  }

  /** Every integration (any workspace, active or not) of these WABAs, opened. Cached for 5 s. */
  async findByBusinessAccountIds(wabaIds: string[]): Promise<ActiveIntegration[]> {
    const now = Date.now();
    const out: ActiveIntegration[] = [];
    const missing: string[] = [];
    for (const id of wabaIds) {
      const hit = this.wabaCache.get(id);
      if (hit && hit.expiresAt > now) out.push(...hit.value);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const rows = await this.repo.listByBusinessAccountsAnyWorkspace(missing);
    for (const id of missing) {
      const value = Object.freeze(
        rows
          .filter((r) => r.businessAccountId === id)
          .map((r) => Object.freeze(openIntegration(this.secrets, r))),
      );
      this.wabaCache.set(id, { value, expiresAt: now + CACHE_TTL_MS });
      out.push(...value);
    }
    return out;
  }

  /** The app secret that signs this integration's webhooks: its own, else the server-wide one. */
  appSecretOf(integration: Pick<ActiveIntegration, 'appSecret'>): string | null {
    return integration.appSecret ?? this.config.whatsapp.appSecret ?? null;
  }

  /** Constant-time check of a webhook verify token against every integration's token. */
  async matchesVerifyToken(token: string): Promise<boolean> {
    if (!token) return false;
    const hash = verifyTokenHash(token);
    const stored = await this.repo.findVerifyTokenHash(hash);
    return stored !== null && timingSafeEqual(Buffer.from(stored), Buffer.from(hash));
  }

  /** Forgets every cached lookup: called after any write to an integration. */
  invalidate(): void {
    this.cache.clear();
    this.wabaCache.clear();
  }
}
