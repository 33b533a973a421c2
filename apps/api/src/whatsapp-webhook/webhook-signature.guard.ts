import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { extractWebhookIds, verifySignature } from '@conecta/graph-client';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import { MetricsService } from '../metrics/metrics.service';
import type { WebhookRequest } from './webhook.types';

/**
 * Verifies `X-Hub-Signature-256` over the exact raw bytes. One Meta app signs everything of the
 * WABAs subscribed to it (messages of every number, template, account and quality updates), so the
 * candidate secrets come from `entry[].id`: those of the WABAs' integrations, plus the server-wide
 * one. A failure is a 401 with nothing stored and a warning naming the IP and the reason, never the
 * expected signature.
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  private readonly logger = new Logger('WebhookSignature');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly integrations: IntegrationRouting,
    private readonly metrics: MetricsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WebhookRequest>();
    // Meta posts JSON only. Fastify already refuses types it cannot parse; text and form bodies
    // it can parse are refused here, before any signature work.
    const contentType = req.headers['content-type'];
    if (typeof contentType !== 'string' || !/^application\/json\s*(;|$)/i.test(contentType)) {
      this.metrics.webhookSuspicious.inc({ reason: 'content_type' });
      this.metrics.webhookRequests.inc({ outcome: 'malformed' });
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Webhooks must be sent as application/json');
    }
    const raw = req.rawBody;
    const header = req.headers['x-hub-signature-256'];
    if (!raw || raw.length === 0) return this.reject(req, 'missing_body');
    if (typeof header !== 'string' || header.length === 0) {
      return this.reject(req, 'missing_signature');
    }
    const { wabaIds, phoneNumberIds } = extractWebhookIds(req.body);
    const known = await this.lookUp(req, wabaIds, phoneNumberIds);
    // Candidates: the app secrets of the WABAs' integrations and the server-wide one. Every
    // candidate is checked (no early exit), each in constant time.
    const candidates = new Set<string>();
    const serverSecret = this.config.whatsapp.appSecret;
    if (serverSecret) candidates.add(serverSecret);
    for (const integration of known.values()) {
      const secret = this.integrations.appSecretOf(integration);
      if (secret) candidates.add(secret);
    }
    if (candidates.size === 0) return this.reject(req, 'no_app_secret');
    let matched: string | null = null;
    for (const secret of candidates) {
      if (verifySignature(raw, header, secret) && matched === null) matched = secret;
    }
    if (matched === null) return this.reject(req, 'bad_signature');
    // A number is served only by the integration whose own secret signed the body: a body signed
    // for one app never reaches another app's (or tenant's) number.
    const found = new Map<string, ActiveIntegration | null>();
    for (const id of phoneNumberIds) {
      const integration = known.get(id);
      const secret = integration ? this.integrations.appSecretOf(integration) : null;
      found.set(id, integration && secret === matched ? integration : null);
    }
    req.webhookIntegrations = found;
    return true;
  }

  /** The integrations of the body's WABAs and numbers, by phone number id; 503 without a database. */
  private async lookUp(
    req: WebhookRequest,
    wabaIds: string[],
    phoneNumberIds: string[],
  ): Promise<Map<string, ActiveIntegration>> {
    const known = new Map<string, ActiveIntegration>();
    try {
      for (const integration of await this.integrations.findByBusinessAccountIds(wabaIds)) {
        known.set(integration.phoneNumberId, integration);
      }
      for (const id of phoneNumberIds) {
        if (known.has(id)) continue;
        const integration = await this.integrations.findByPhoneNumberId(id);
        if (integration) known.set(id, integration);
      }
    } catch (err) {
      // No secret without the database: Meta must retry, as for a failed inbox write.
      this.metrics.webhookRequests.inc({ outcome: 'unavailable' });
      this.logger.error({ err, requestId: req.id }, 'integration lookup failed: answering 503');
      throw new AppError('SERVICE_UNAVAILABLE', 'The webhook could not be checked; retry later');
    }
    return known;
  }

  private reject(req: WebhookRequest, reason: string): never {
    this.metrics.webhookSuspicious.inc({ reason });
    this.metrics.webhookRequests.inc({ outcome: 'bad_signature' });
    this.logger.warn({ ip: req.ip, reason, requestId: req.id }, 'webhook rejected: signature');
    throw new AppError('UNAUTHORIZED', 'Invalid or missing webhook signature');
  }
}
