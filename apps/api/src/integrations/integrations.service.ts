import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  ConnectionTestResult,
  CreateWhatsAppIntegrationInput,
  FieldError,
  IntegrationConflict,
  IntegrationErrorType,
  IntegrationField,
  IntegrationStatus,
  RetestIntegrationInput,
  TestWhatsAppCredentialsInput,
  UpdateIntegrationInput,
} from '@conecta/contracts';
import { CREDENTIAL_ERROR_TYPES } from '@conecta/graph-client';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { ChatbotsService } from '../chatbots/chatbots.service';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { safeEqual } from '../crypto/safe-equal';
import { SealedPlace, SecretBox } from '../crypto/secret-box';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import {
  ConnectionTester,
  type TestFailure,
  type TestOutcome,
  type WhatsAppCredentials,
} from './connection-tester';
import {
  IntegrationPatch,
  IntegrationRow,
  IntegrationsRepository,
  isDuplicateKeyError,
} from './integrations.repository';
import type { ActiveIntegration } from './integrations.types';
import { MetricsService } from '../metrics/metrics.service';

const CACHE_TTL_MS = 5_000;
const ACTIVITY_MIN_INTERVAL_MS = 1_000;
const HEALTH_BATCH = 200;

export interface HealthCheckReport {
  checked: number;
  errors: number;
  /** Meta rate-limited us: the sweep stopped early and the next one should wait longer. */
  rateLimited: boolean;
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

/** The HTTP status of a failed test on create/update: the user's input (422) or Meta (502/503). */
function failureStatus(errorType: IntegrationErrorType): number {
  if (CREDENTIAL_ERROR_TYPES.has(errorType) || errorType === 'INVALID_REQUEST') return 422;
  if (errorType === 'RATE_LIMIT_EXCEEDED') return 503;
  return 502;
}

/**
 * WhatsApp integrations: connect (test, subscribe, then save), re-test, edit, disconnect, delete;
 * the honest status; and the lookups the webhook uses. Credentials are sealed with {@link SecretBox}.
 */
/** Where an integration's secret is sealed: its record and field (the seal's associated data). */
function sealedAt(
  id: string,
  field: 'accessToken' | 'appSecret' | 'webhookVerifyToken',
): SealedPlace {
  return { collection: 'integrations', id, field };
}

@Injectable()
export class IntegrationsService {
  private readonly logger = new Logger(IntegrationsService.name);
  /** By phone number id, opened (secrets decrypted once per entry, not once per webhook). */
  private readonly cache = new Map<
    string,
    { value: ActiveIntegration | null; expiresAt: number }
  >();
  /** By business account (WABA) id: every integration of it, opened. */
  private readonly wabaCache = new Map<
    string,
    { value: readonly ActiveIntegration[]; expiresAt: number }
  >();
  private readonly lastActivityWrite = new Map<string, number>();

  constructor(
    private readonly repo: IntegrationsRepository,
    private readonly tester: ConnectionTester,
    private readonly secrets: SecretBox,
    private readonly chatbots: ChatbotsService,
    private readonly audit: AuditService,
    private readonly graph: GraphClientFactory,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- REST ------------------------------------------------------------------------------------

  async list(auth: AuthContext, chatbotId?: string): Promise<IntegrationStatus[]> {
    const rows = await this.repo.list(auth.workspaceId, { chatbotId });
    return rows.map((row) => this.toView(row, auth));
  }

  async get(auth: AuthContext, id: string): Promise<IntegrationStatus> {
    return this.toView(await this.mustFind(auth, id), auth);
  }

  async create(
    auth: AuthContext,
    input: CreateWhatsAppIntegrationInput,
  ): Promise<IntegrationStatus> {
    const meta = {
      chatbotId: input.chatbotId,
      phoneNumberId: input.phoneNumberId,
      businessAccountId: input.businessAccountId,
    };
    try {
      await this.chatbots.get(auth.workspaceId, input.chatbotId);
      await this.assertNoConflict(auth.workspaceId, input.chatbotId, input.phoneNumberId, null);
      await this.assertSharedAppSecret(input.businessAccountId, input.appSecret || null, null);
      const outcome = await this.tester.run(input, 'full');
      this.throwIfFailed(outcome);
      const verifyToken = input.webhookVerifyToken || generateVerifyToken();
      const now = new Date();
      // The id is chosen first: each secret is sealed bound to its record (see SealedPlace).
      const id = this.repo.newId();
      let row: IntegrationRow;
      try {
        row = await this.repo.create({
          id,
          workspaceId: auth.workspaceId,
          chatbotId: input.chatbotId,
          platform: 'WHATSAPP',
          phoneNumberId: input.phoneNumberId,
          businessAccountId: input.businessAccountId,
          accessToken: this.secrets.seal(input.accessToken, sealedAt(id, 'accessToken')),
          tokenLast4: input.accessToken.slice(-4),
          appSecret: input.appSecret
            ? this.secrets.seal(input.appSecret, sealedAt(id, 'appSecret'))
            : null,
          webhookVerifyToken: this.secrets.seal(verifyToken, sealedAt(id, 'webhookVerifyToken')),
          webhookVerifyTokenHash: sha256(verifyToken),
          connection: outcome.connection,
          testedAt: now,
          subscribedAt: outcome.subscribed ? now : null,
          createdBy: auth.userId,
        });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        await this.assertNoConflict(auth.workspaceId, input.chatbotId, input.phoneNumberId, null);
        throw conflict('PHONE_NUMBER_ALREADY_CONNECTED', 'phoneNumberId');
      }
      this.invalidate();
      await this.record(auth, 'integration.create', row.id, 'success', meta);
      return this.toView(row, auth);
    } catch (err) {
      await this.recordFailure(auth, 'integration.create', null, err, meta);
      throw err;
    }
  }

  async update(
    auth: AuthContext,
    id: string,
    input: UpdateIntegrationInput,
  ): Promise<IntegrationStatus> {
    const row = await this.mustFind(auth, id);
    const changed = Object.keys(input).filter(
      (k) => input[k as keyof UpdateIntegrationInput] !== undefined,
    );
    const action =
      input.isActive === false && row.isActive ? 'integration.disconnect' : 'integration.update';
    const meta = { changed, phoneNumberId: input.phoneNumberId ?? row.phoneNumberId };
    try {
      const credentials: WhatsAppCredentials = {
        phoneNumberId: input.phoneNumberId ?? row.phoneNumberId,
        businessAccountId: input.businessAccountId ?? row.businessAccountId,
        accessToken:
          input.accessToken ?? this.secrets.open(row.accessToken, sealedAt(row.id, 'accessToken')),
      };
      const credentialsChanged =
        credentials.phoneNumberId !== row.phoneNumberId ||
        credentials.businessAccountId !== row.businessAccountId ||
        input.accessToken !== undefined;
      const secretChanged = input.appSecret !== undefined;
      const willBeActive = input.isActive ?? row.isActive;
      const reconnecting = willBeActive && !row.isActive;
      if (credentials.phoneNumberId !== row.phoneNumberId) {
        await this.assertNoConflict(auth.workspaceId, null, credentials.phoneNumberId, row.id);
      }
      if (secretChanged || credentials.businessAccountId !== row.businessAccountId) {
        const secret =
          input.appSecret !== undefined
            ? input.appSecret || null
            : row.appSecret
              ? this.secrets.open(row.appSecret, sealedAt(row.id, 'appSecret'))
              : null;
        await this.assertSharedAppSecret(credentials.businessAccountId, secret, row.id);
      }

      const patch: IntegrationPatch = {};
      if (credentialsChanged || (secretChanged && willBeActive) || reconnecting) {
        // Test before anything is stored: a bad new token never replaces a good one.
        const outcome = await this.tester.run(credentials, willBeActive ? 'full' : 'check');
        this.throwIfFailed(outcome);
        const now = new Date();
        Object.assign(patch, {
          health: 'connected',
          errorType: null,
          errorDetail: null,
          connection: outcome.connection,
          lastTestedAt: now,
          ...(outcome.subscribed ? { subscribedAt: now } : {}),
        } satisfies IntegrationPatch);
      }
      if (credentialsChanged) {
        patch.phoneNumberId = credentials.phoneNumberId;
        patch.businessAccountId = credentials.businessAccountId;
      }
      if (input.accessToken !== undefined) {
        patch.accessToken = this.secrets.seal(input.accessToken, sealedAt(row.id, 'accessToken'));
        patch.tokenLast4 = input.accessToken.slice(-4);
      }
      if (input.appSecret !== undefined) {
        patch.appSecret = input.appSecret
          ? this.secrets.seal(input.appSecret, sealedAt(row.id, 'appSecret'))
          : null;
      }
      if (input.webhookVerifyToken !== undefined) {
        const token = input.webhookVerifyToken || generateVerifyToken();
        patch.webhookVerifyToken = this.secrets.seal(token, sealedAt(row.id, 'webhookVerifyToken'));
        patch.webhookVerifyTokenHash = sha256(token);
      }
      if (input.isActive !== undefined) patch.isActive = input.isActive;

      let updated: IntegrationRow | null;
      try {
        updated = await this.repo.update(auth.workspaceId, row.id, patch);
      } catch (err) {
        if (isDuplicateKeyError(err))
          throw conflict('PHONE_NUMBER_ALREADY_CONNECTED', 'phoneNumberId');
        throw err;
      }
      if (!updated) throw AppError.notFound('Integration');
      this.invalidate();
      await this.record(auth, action, row.id, 'success', meta);
      return this.toView(updated, auth);
    } catch (err) {
      await this.recordFailure(auth, action, row.id, err, meta);
      throw err;
    }
  }

  /** Deletes the integration (its conversations stay) and unsubscribes the app, best effort. */
  async remove(auth: AuthContext, id: string): Promise<void> {
    const row = await this.mustFind(auth, id);
    await this.repo.delete(auth.workspaceId, row.id);
    this.invalidate();
    let unsubscribed: boolean | 'shared' = false;
    if ((await this.repo.countOthersOnBusinessAccount(row.businessAccountId, row.id)) > 0) {
      unsubscribed = 'shared';
    } else {
      try {
        const client = this.graph.forToken(
          this.secrets.open(row.accessToken, sealedAt(row.id, 'accessToken')),
        );
        unsubscribed = (await client.unsubscribeApp(row.businessAccountId)).success;
      } catch (err) {
        this.logger.warn(
          { err, integrationId: row.id },
          'could not unsubscribe the app from the business account (deleted anyway)',
        );
      }
    }
    await this.record(auth, 'integration.delete', row.id, 'success', {
      phoneNumberId: row.phoneNumberId,
      businessAccountId: row.businessAccountId,
      unsubscribed,
    });
  }

  /** Re-tests a saved integration and stores what it learned (status only on credential errors). */
  async retest(
    auth: AuthContext,
    id: string,
    edited: RetestIntegrationInput = {},
  ): Promise<ConnectionTestResult> {
    const row = await this.mustFind(auth, id);
    const stored = this.credentialsOf(row);
    const ids = {
      phoneNumberId: edited.phoneNumberId ?? row.phoneNumberId,
      businessAccountId: edited.businessAccountId ?? row.businessAccountId,
    };
    if (
      ids.phoneNumberId !== row.phoneNumberId ||
      ids.businessAccountId !== row.businessAccountId
    ) {
      // Edited ids, the stored token: a test of unsaved values, so nothing is stored.
      return this.testCredentials(auth, { ...ids, accessToken: stored.accessToken });
    }
    const outcome = await this.tester.run(stored, row.isActive ? 'repair' : 'check');
    await this.applyOutcome(row, outcome);
    await this.record(
      auth,
      'integration.test',
      row.id,
      outcome.result.success ? 'success' : 'failure',
      {
        phoneNumberId: row.phoneNumberId,
        errorType: outcome.failure?.errorType ?? null,
      },
    );
    return outcome.result;
  }

  /** "Test connection" of unsaved credentials: nothing is stored and nothing subscribed. */
  async testCredentials(
    auth: AuthContext,
    input: TestWhatsAppCredentialsInput,
  ): Promise<ConnectionTestResult> {
    const outcome = await this.tester.run(input, 'check');
    await this.record(
      auth,
      'integration.test',
      null,
      outcome.result.success ? 'success' : 'failure',
      {
        phoneNumberId: input.phoneNumberId,
        businessAccountId: input.businessAccountId,
        errorType: outcome.failure?.errorType ?? null,
        saved: false,
      },
    );
    return outcome.result;
  }

  // ---- Internal lookups (webhook, sender) ------------------------------------------------------

  /** The connected integration of a phone number (decrypted), or null when unknown or disconnected. */
  async findActiveByPhoneNumberId(phoneNumberId: string): Promise<ActiveIntegration | null> {
    const found = await this.findByPhoneNumberId(phoneNumberId);
    return found && found.isActive ? found : null;
  }

  /** Like {@link findActiveByPhoneNumberId} but also for disconnected numbers. Cached for 5 s. */
  async findByPhoneNumberId(phoneNumberId: string): Promise<ActiveIntegration | null> {
    const now = Date.now();
    const hit = this.cache.get(phoneNumberId);
    if (hit && hit.expiresAt > now) return hit.value;
    const row = await this.repo.findByPhoneNumberIdAnyWorkspace(phoneNumberId);
    // Shared by every caller for CACHE_TTL_MS: frozen, so none can change it for the others.
    const value = row ? Object.freeze(this.toActive(row)) : null;
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
        rows.filter((r) => r.businessAccountId === id).map((r) => Object.freeze(this.toActive(r))),
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
    const hash = sha256(token);
    const stored = await this.repo.findVerifyTokenHash(hash);
    return stored !== null && timingSafeEqual(Buffer.from(stored), Buffer.from(hash));
  }

  /** Moves lastActivity (and lastWebhookAt / lastSendOkAt); at most one write a second. */
  async recordActivity(
    integrationId: string,
    at: { webhookAt?: Date; sendOkAt?: Date },
  ): Promise<void> {
    const now = Date.now();
    const last = this.lastActivityWrite.get(integrationId) ?? 0;
    if (now - last < ACTIVITY_MIN_INTERVAL_MS) return;
    this.lastActivityWrite.set(integrationId, now);
    const times = [at.webhookAt, at.sendOkAt].filter((d): d is Date => d instanceof Date);
    const lastActivity = new Date(Math.max(now, ...times.map((d) => d.getTime())));
    await this.repo.touchActivity(integrationId, {
      lastActivity,
      ...(at.webhookAt ? { lastWebhookAt: at.webhookAt } : {}),
      ...(at.sendOkAt ? { lastSendOkAt: at.sendOkAt } : {}),
    });
  }

  /** Sets status error, only for credential or number problems (never timeouts or 5xx). */
  async markCredentialError(
    integrationId: string,
    errorType: IntegrationErrorType,
    message: string,
  ): Promise<void> {
    if (!CREDENTIAL_ERROR_TYPES.has(errorType)) return;
    await this.repo.updateInternal(integrationId, {
      health: 'error',
      errorType,
      errorDetail: message.slice(0, 500),
    });
    this.invalidate();
  }

  // ---- Health check -----------------------------------------------------------

  /** Re-tests active integrations (the number only). Stops at the first rate limit. */
  async runHealthCheck(): Promise<HealthCheckReport> {
    const rows = await this.repo.listActiveForHealthCheck(HEALTH_BATCH);
    const report: HealthCheckReport = { checked: 0, errors: 0, rateLimited: false };
    for (const row of rows) {
      let outcome: TestOutcome;
      try {
        outcome = await this.tester.run(this.credentialsOf(row), 'light');
      } catch (err) {
        this.logger.error({ err, integrationId: row.id }, 'health check of an integration failed');
        continue;
      }
      report.checked++;
      await this.applyOutcome(row, outcome);
      if (outcome.failure && CREDENTIAL_ERROR_TYPES.has(outcome.failure.errorType)) report.errors++;
      if (outcome.failure?.errorType === 'RATE_LIMIT_EXCEEDED') {
        report.rateLimited = true;
        break;
      }
    }
    return report;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private async mustFind(auth: AuthContext, id: string): Promise<IntegrationRow> {
    const row = await this.repo.findById(auth.workspaceId, id);
    if (!row) throw AppError.notFound('Integration');
    return row;
  }

  private credentialsOf(row: IntegrationRow): WhatsAppCredentials {
    return {
      phoneNumberId: row.phoneNumberId,
      businessAccountId: row.businessAccountId,
      accessToken: this.secrets.open(row.accessToken, sealedAt(row.id, 'accessToken')),
    };
  }

  /** Stores a test's result: details on success; `error` only for credential/number problems. */
  private async applyOutcome(row: IntegrationRow, outcome: TestOutcome): Promise<void> {
    const now = new Date();
    if (!outcome.failure) {
      await this.repo.updateInternal(row.id, {
        health: 'connected',
        errorType: null,
        errorDetail: null,
        connection: outcome.connection,
        lastTestedAt: now,
        ...(outcome.subscribed ? { subscribedAt: row.subscribedAt ?? now } : {}),
      });
    } else if (CREDENTIAL_ERROR_TYPES.has(outcome.failure.errorType)) {
      await this.repo.updateInternal(row.id, {
        health: 'error',
        errorType: outcome.failure.errorType,
        errorDetail: outcome.failure.detail.slice(0, 500),
        lastTestedAt: now,
      });
    } else {
      this.logger.warn(
        {
          integrationId: row.id,
          errorType: outcome.failure.errorType,
          metaCode: outcome.failure.metaCode,
        },
        'integration test inconclusive; status left as it was',
      );
      return;
    }
    this.invalidate();
  }

  private throwIfFailed(outcome: TestOutcome): void {
    const failure = outcome.failure;
    if (!failure) return;
    throw testFailureError(failure, outcome.result);
  }

  private async assertNoConflict(
    workspaceId: string,
    chatbotId: string | null,
    phoneNumberId: string,
    exceptId: string | null,
  ): Promise<void> {
    const byPhone = await this.repo.findByPhoneNumberIdAnyWorkspace(phoneNumberId);
    if (byPhone && byPhone.id !== exceptId) {
      throw conflict('PHONE_NUMBER_ALREADY_CONNECTED', 'phoneNumberId');
    }
    if (chatbotId) {
      const byChatbot = await this.repo.findByChatbot(workspaceId, chatbotId, 'WHATSAPP');
      if (byChatbot && byChatbot.id !== exceptId) {
        throw conflict('CHATBOT_ALREADY_HAS_WHATSAPP', 'chatbotId');
      }
    }
  }

  /**
   * One Meta app signs every webhook of a WABA, so every integration of one WABA must have the
   * same app secret: a different one would split the WABA's webhooks between two secrets.
   */
  private async assertSharedAppSecret(
    businessAccountId: string,
    appSecret: string | null,
    exceptId: string | null,
  ): Promise<void> {
    const mine = this.appSecretOf({ appSecret });
    const others = (await this.repo.listByBusinessAccountsAnyWorkspace([businessAccountId])).filter(
      (r) => r.id !== exceptId,
    );
    for (const other of others) {
      const theirs = this.appSecretOf({
        appSecret: other.appSecret
          ? this.secrets.open(other.appSecret, sealedAt(other.id, 'appSecret'))
          : null,
      });
      if (mine === null || theirs === null || !safeEqual(mine, theirs)) {
        throw conflict('APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT', 'appSecret');
      }
    }
  }

  private invalidate(): void {
    this.cache.clear();
    this.wabaCache.clear();
  }

  private toActive(row: IntegrationRow): ActiveIntegration {
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      chatbotId: row.chatbotId,
      phoneNumberId: row.phoneNumberId,
      businessAccountId: row.businessAccountId,
      accessToken: this.secrets.open(row.accessToken, sealedAt(row.id, 'accessToken')),
      appSecret: row.appSecret
        ? this.secrets.open(row.appSecret, sealedAt(row.id, 'appSecret'))
        : null,
      isActive: row.isActive,
    };
  }

  private toView(row: IntegrationRow, auth: AuthContext): IntegrationStatus {
    const status = !row.isActive ? 'disconnected' : row.health;
    const errorType = row.isActive && row.health === 'error' ? row.errorType : null;
    return {
      id: row.id,
      platform: row.platform,
      chatbotId: row.chatbotId,
      status,
      isActive: row.isActive,
      phoneNumberId: row.phoneNumberId,
      businessAccountId: row.businessAccountId,
      tokenLast4: row.tokenLast4,
      hasAppSecret: row.appSecret !== null,
      webhook: {
        callbackUrl: `${this.config.publicUrl}/api/whatsapp/webhook`,
        // The verify token proves "this is our webhook" to Meta: admins only.
        verifyToken:
          auth.role === 'admin'
            ? this.secrets.open(row.webhookVerifyToken, sealedAt(row.id, 'webhookVerifyToken'))
            : null,
      },
      connection: row.connection,
      errorType,
      lastActivity: iso(row.lastActivity),
      lastTestedAt: iso(row.lastTestedAt),
      lastWebhookAt: iso(row.lastWebhookAt),
      lastSendOkAt: iso(row.lastSendOkAt),
      subscribedAt: iso(row.subscribedAt),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private async record(
    auth: AuthContext,
    action: string,
    id: string | null,
    outcome: 'success' | 'failure',
    metadata: Record<string, unknown>,
  ): Promise<void> {
    this.metrics.integrationOperations.inc({
      operation: action.replace(/^integration\./, ''),
      outcome,
    });
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action,
      ...(id ? { target: { type: 'integration', id } } : {}),
      outcome,
      ip: auth.ip,
      metadata,
    });
  }

  private async recordFailure(
    auth: AuthContext,
    action: string,
    id: string | null,
    err: unknown,
    metadata: Record<string, unknown>,
  ): Promise<void> {
    const code = err instanceof AppError ? err.code : 'INTERNAL_ERROR';
    await this.record(auth, action, id, 'failure', { ...metadata, error: code });
  }
}

function generateVerifyToken(): string {
  return randomBytes(24).toString('base64url');
}

const CONFLICT_MESSAGES: Record<IntegrationConflict, string> = {
  PHONE_NUMBER_ALREADY_CONNECTED: 'This phone number is already connected to a chatbot',
  CHATBOT_ALREADY_HAS_WHATSAPP: 'This chatbot already has a WhatsApp integration',
  APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT:
    'Another number of this WhatsApp Business Account uses a different app secret',
};

function conflict(reason: IntegrationConflict, field: IntegrationField): AppError {
  const message = CONFLICT_MESSAGES[reason];
  const fields: FieldError[] = [{ field, code: reason, message }];
  return new AppError('CONFLICT', message, { reason, fields });
}

/** A failed test on create/update: 422 naming the field, or 502/503 when Meta is the problem. */
function testFailureError(failure: TestFailure, result: ConnectionTestResult): AppError {
  // Codes only: the SPA words the reason (es, en); Meta's own detail stays in the logs.
  const message = `Connection test failed: ${failure.reason}`;
  const fields: FieldError[] = failure.field
    ? [{ field: failure.field, code: failure.reason, message }]
    : [];
  return new AppError(
    failure.errorType,
    message,
    {
      ...(fields.length ? { fields } : {}),
      errorType: failure.errorType,
      reason: failure.reason,
      ...(failure.metaCode !== null ? { metaCode: failure.metaCode } : {}),
      ...(failure.retryAfterMs !== null ? { retryAfterMs: failure.retryAfterMs } : {}),
      checks: result.checks,
    },
    failureStatus(failure.errorType),
  );
}
