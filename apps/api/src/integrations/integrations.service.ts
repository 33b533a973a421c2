import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  ConnectionTestResult,
  CreateWhatsAppIntegrationInput,
  IntegrationStatus,
  RetestIntegrationInput,
  TestWhatsAppCredentialsInput,
  UpdateIntegrationInput,
} from '@conecta/contracts';
import { AccountNoticesService } from '../account-notices/account-notices.service';
import { AuditService } from '../audit/audit.service';
import { ChatbotsService } from '../chatbots/chatbots.service';
import type { Actor } from '../common/actor';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { safeEqual } from '../crypto/safe-equal';
import { SecretBox } from '../crypto/secret-box';
import { isDuplicateKeyError } from '../database/repository-helpers';
import { MetricsService } from '../metrics/metrics.service';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import { ConnectionTester, type TestOutcome, type WhatsAppCredentials } from './connection-tester';
import { integrationConflict as conflict, testFailureError } from './integration-errors';
import { IntegrationLifecycle } from './integration-lifecycle';
import { IntegrationRouting } from './integration-routing.service';
import { openCredentials, openIntegration, sealedAt, verifyTokenHash } from './integration-secrets';
import { IntegrationStatusService } from './integration-status.service';
import { toIntegrationView } from './integration.views';
import {
  IntegrationPatch,
  IntegrationRow,
  IntegrationsRepository,
  NO_ACTIVITY,
} from './integrations.repository';
import type { WorkspaceId } from '../common/workspace-id';

/**
 * What users do with WhatsApp integrations: connect (test, subscribe, then save), re-test, edit,
 * disconnect, delete. Credentials are sealed with {@link SecretBox}; the webhook's lookups are
 * {@link IntegrationRouting}'s, the status {@link IntegrationStatusService}'s.
 */
@Injectable()
export class IntegrationsService {
  private readonly logger = new Logger(IntegrationsService.name);

  constructor(
    private readonly repo: IntegrationsRepository,
    private readonly tester: ConnectionTester,
    private readonly secrets: SecretBox,
    private readonly chatbots: ChatbotsService,
    private readonly audit: AuditService,
    private readonly graph: GraphClientFactory,
    private readonly metrics: MetricsService,
    private readonly routing: IntegrationRouting,
    private readonly status: IntegrationStatusService,
    private readonly lifecycle: IntegrationLifecycle,
    private readonly notices: AccountNoticesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- REST ------------------------------------------------------------------------------------

  async list(actor: Actor, chatbotId?: string): Promise<IntegrationStatus[]> {
    const rows = await this.repo.list(actor.workspaceId, { chatbotId });
    return this.toViews(rows, actor);
  }

  async get(actor: Actor, id: string): Promise<IntegrationStatus> {
    return this.toView(await this.mustFind(actor, id), actor);
  }

  async create(actor: Actor, input: CreateWhatsAppIntegrationInput): Promise<IntegrationStatus> {
    const meta = {
      chatbotId: input.chatbotId,
      phoneNumberId: input.phoneNumberId,
      businessAccountId: input.businessAccountId,
    };
    try {
      await this.chatbots.get(actor.workspaceId, input.chatbotId);
      await this.assertNoConflict(actor.workspaceId, input.chatbotId, input.phoneNumberId, null);
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
          workspaceId: actor.workspaceId,
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
          webhookVerifyTokenHash: verifyTokenHash(verifyToken),
          connection: outcome.connection,
          testedAt: now,
          subscribedAt: outcome.subscribed ? now : null,
          createdBy: actor.userId,
        });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        await this.assertNoConflict(actor.workspaceId, input.chatbotId, input.phoneNumberId, null);
        throw conflict('PHONE_NUMBER_ALREADY_CONNECTED', 'phoneNumberId');
      }
      this.routing.invalidate();
      await this.record(actor, 'integration.create', row.id, 'success', meta);
      await this.lifecycle.connected(openIntegration(this.secrets, row));
      return this.toView(row, actor);
    } catch (err) {
      await this.recordFailure(actor, 'integration.create', null, err, meta);
      throw err;
    }
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateIntegrationInput,
  ): Promise<IntegrationStatus> {
    const row = await this.mustFind(actor, id);
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
        await this.assertNoConflict(actor.workspaceId, null, credentials.phoneNumberId, row.id);
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
        patch.webhookVerifyTokenHash = verifyTokenHash(token);
      }
      if (input.isActive !== undefined) patch.isActive = input.isActive;

      let updated: IntegrationRow | null;
      try {
        updated = await this.repo.update(actor.workspaceId, row.id, patch);
      } catch (err) {
        if (isDuplicateKeyError(err))
          throw conflict('PHONE_NUMBER_ALREADY_CONNECTED', 'phoneNumberId');
        throw err;
      }
      if (!updated) throw AppError.notFound('Integration');
      this.routing.invalidate();
      await this.record(actor, action, row.id, 'success', meta);
      return this.toView(updated, actor);
    } catch (err) {
      await this.recordFailure(actor, action, row.id, err, meta);
      throw err;
    }
  }

  /** Deletes the integration (its conversations stay) and unsubscribes the app, best effort. */
  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.mustFind(actor, id);
    await this.repo.delete(actor.workspaceId, row.id);
    this.routing.invalidate();
    let unsubscribed: boolean | 'shared' = false;
    if (
      (await this.repo.countOthersOnBusinessAccountAnyWorkspace(row.businessAccountId, row.id)) > 0
    ) {
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
    await this.record(actor, 'integration.delete', row.id, 'success', {
      phoneNumberId: row.phoneNumberId,
      businessAccountId: row.businessAccountId,
      unsubscribed,
    });
  }

  /** Re-tests a saved integration and stores what it learned (status only on credential errors). */
  async retest(
    actor: Actor,
    id: string,
    edited: RetestIntegrationInput = {},
  ): Promise<ConnectionTestResult> {
    const row = await this.mustFind(actor, id);
    const stored = openCredentials(this.secrets, row);
    const ids = {
      phoneNumberId: edited.phoneNumberId ?? row.phoneNumberId,
      businessAccountId: edited.businessAccountId ?? row.businessAccountId,
    };
    if (
      ids.phoneNumberId !== row.phoneNumberId ||
      ids.businessAccountId !== row.businessAccountId
    ) {
      // Edited ids, the stored token: a test of unsaved values, so nothing is stored.
      return this.testCredentials(actor, { ...ids, accessToken: stored.accessToken });
    }
    const outcome = await this.tester.run(stored, row.isActive ? 'repair' : 'check');
    await this.status.applyOutcome(row, outcome);
    await this.record(
      actor,
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
    actor: Actor,
    input: TestWhatsAppCredentialsInput,
  ): Promise<ConnectionTestResult> {
    const outcome = await this.tester.run(input, 'check');
    await this.record(
      actor,
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

  // ---- helpers ---------------------------------------------------------------------------------

  private async mustFind(actor: Actor, id: string): Promise<IntegrationRow> {
    const row = await this.repo.findById(actor.workspaceId, id);
    if (!row) throw AppError.notFound('Integration');
    return row;
  }

  private throwIfFailed(outcome: TestOutcome): void {
    const failure = outcome.failure;
    if (!failure) return;
    throw testFailureError(failure, outcome.result);
  }

  private async assertNoConflict(
    workspaceId: WorkspaceId,
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
    const mine = this.routing.appSecretOf({ appSecret });
    const others = (await this.repo.listByBusinessAccountsAnyWorkspace([businessAccountId])).filter(
      (r) => r.id !== exceptId,
    );
    for (const other of others) {
      const theirs = this.routing.appSecretOf({
        appSecret: other.appSecret
          ? this.secrets.open(other.appSecret, sealedAt(other.id, 'appSecret'))
          : null,
      });
      if (mine === null || theirs === null || !safeEqual(mine, theirs)) {
        throw conflict('APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT', 'appSecret');
      }
    }
  }

  private async toView(row: IntegrationRow, actor: Actor): Promise<IntegrationStatus> {
    const [view] = await this.toViews([row], actor);
    if (!view) throw new Error('one row makes one view');
    return view;
  }

  /** The views of these rows; their activity is read in one query for all of them. */
  private async toViews(rows: IntegrationRow[], actor: Actor): Promise<IntegrationStatus[]> {
    const activity = await this.repo.activityOf(
      actor.workspaceId,
      rows.map((row) => row.id),
    );
    return Promise.all(
      rows.map(async (row) =>
        toIntegrationView(
          row,
          {
            callbackUrl: `${this.config.publicUrl}/api/whatsapp/webhook`,
            // The verify token proves "this is our webhook" to Meta: admins only.
            verifyToken:
              actor.role === 'admin'
                ? this.secrets.open(row.webhookVerifyToken, sealedAt(row.id, 'webhookVerifyToken'))
                : null,
          },
          await this.notices.healthOf(row.workspaceId, row.id),
          activity.get(row.id) ?? NO_ACTIVITY,
        ),
      ),
    );
  }

  private async record(
    actor: Actor,
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
      workspaceId: actor.workspaceId,
      actor,
      action,
      ...(id ? { target: { type: 'integration', id } } : {}),
      outcome,
      ip: actor.ip,
      metadata,
    });
  }

  private async recordFailure(
    actor: Actor,
    action: string,
    id: string | null,
    err: unknown,
    metadata: Record<string, unknown>,
  ): Promise<void> {
    const code = err instanceof AppError ? err.code : 'INTERNAL_ERROR';
    await this.record(actor, action, id, 'failure', { ...metadata, error: code });
  }
}

function generateVerifyToken(): string {
  return randomBytes(24).toString('base64url');
}
