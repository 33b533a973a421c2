import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IntegrationErrorType } from '@conecta/contracts';
import { CREDENTIAL_ERROR_TYPES } from '@conecta/graph-client';
import { CLOCK, type Clock } from '../common/clock';
import { SecretBox } from '../crypto/secret-box';
import { ConnectionTester, type TestOutcome } from './connection-tester';
import { IntegrationRouting } from './integration-routing.service';
import { openCredentials } from './integration-secrets';
import { IntegrationRow, IntegrationsRepository } from './integrations.repository';
import type { ActiveIntegration } from './integrations.types';

const ACTIVITY_MIN_INTERVAL_MS = 1_000;
const HEALTH_BATCH = 200;

/** Which integration, in which workspace: every status write is scoped. */
export type IntegrationRef = Pick<ActiveIntegration, 'id' | 'workspaceId'>;

export interface HealthCheckReport {
  checked: number;
  errors: number;
  /** Meta rate-limited us: the sweep stopped early and the next one should wait longer. */
  rateLimited: boolean;
}

/**
 * The honest status of integrations: what tests, health checks, webhooks and sends learn about
 * them. Only credential or number problems set `error` (never timeouts or 5xx).
 */
@Injectable()
export class IntegrationStatusService {
  private readonly logger = new Logger(IntegrationStatusService.name);
  private readonly lastActivityWrite = new Map<string, number>();

  constructor(
    private readonly repo: IntegrationsRepository,
    private readonly tester: ConnectionTester,
    private readonly secrets: SecretBox,
    private readonly routing: IntegrationRouting,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Moves lastActivity (and lastWebhookAt / lastSendOkAt); at most one write a second of the
   * injected clock.
   */
  async recordActivity(
    integration: IntegrationRef,
    at: { webhookAt?: Date; sendOkAt?: Date },
  ): Promise<void> {
    const now = this.clock.now().getTime();
    const last = this.lastActivityWrite.get(integration.id) ?? 0;
    if (now - last < ACTIVITY_MIN_INTERVAL_MS) return;
    this.lastActivityWrite.set(integration.id, now);
    const times = [at.webhookAt, at.sendOkAt].filter((d): d is Date => d instanceof Date);
    const lastActivity = new Date(Math.max(now, ...times.map((d) => d.getTime())));
    await this.repo.touchActivity(integration.workspaceId, integration.id, {
      lastActivity,
      ...(at.webhookAt ? { lastWebhookAt: at.webhookAt } : {}),
      ...(at.sendOkAt ? { lastSendOkAt: at.sendOkAt } : {}),
    });
  }

  /** Sets status error, only for credential or number problems (never timeouts or 5xx). */
  async markCredentialError(
    integration: IntegrationRef,
    errorType: IntegrationErrorType,
    metaWords: string | null,
  ): Promise<void> {
    if (!CREDENTIAL_ERROR_TYPES.has(errorType)) return;
    await this.repo.updateStatus(integration.workspaceId, integration.id, {
      health: 'error',
      errorType,
      errorDetail: metaWords?.slice(0, 500) ?? null,
    });
    this.routing.invalidate();
  }

  /** Re-tests active integrations (the number only). Stops at the first rate limit. */
  async runHealthCheck(): Promise<HealthCheckReport> {
    const rows = await this.repo.listActiveForHealthCheck(HEALTH_BATCH);
    const report: HealthCheckReport = { checked: 0, errors: 0, rateLimited: false };
    for (const row of rows) {
      let outcome: TestOutcome;
      try {
        outcome = await this.tester.run(openCredentials(this.secrets, row), 'light');
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

  /** Stores a test's result: details on success; `error` only for credential/number problems. */
  async applyOutcome(row: IntegrationRow, outcome: TestOutcome): Promise<void> {
    const now = this.clock.now();
    if (!outcome.failure) {
      await this.repo.updateStatus(row.workspaceId, row.id, {
        health: 'connected',
        errorType: null,
        errorDetail: null,
        connection: outcome.connection,
        lastTestedAt: now,
        ...(outcome.subscribed ? { subscribedAt: row.subscribedAt ?? now } : {}),
      });
    } else if (CREDENTIAL_ERROR_TYPES.has(outcome.failure.errorType)) {
      await this.repo.updateStatus(row.workspaceId, row.id, {
        health: 'error',
        errorType: outcome.failure.errorType,
        errorDetail: outcome.failure.detail?.slice(0, 500) ?? null,
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
    this.routing.invalidate();
  }
}
