import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { extractPhoneNumberIds, verifySignature } from '@conecta/graph-client';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { IntegrationsService } from '../integrations/integrations.service';
import { MetricsService } from '../metrics/metrics.service';
import type { WebhookRequest } from './webhook.types';

/**
 * Verifies `X-Hub-Signature-256` over the exact raw bytes with the app secret of the integration
 * the payload is addressed to (or the server-wide one). A failure is a 401 with nothing stored and
 * a warning naming the IP and the reason, never the expected signature.
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  private readonly logger = new Logger('WebhookSignature');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly integrations: IntegrationsService,
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
    const ids = extractPhoneNumberIds(req.body);
    const found = new Map<string, ActiveIntegration | null>();
    const secrets = new Set<string | undefined>();
    for (const id of ids) {
      const integration = await this.integrations.findByPhoneNumberId(id).catch((err: unknown) => {
        // No secret without the database: Meta must retry, as for a failed inbox write.
        this.metrics.webhookRequests.inc({ outcome: 'unavailable' });
        this.logger.error({ err, requestId: req.id }, 'integration lookup failed: answering 503');
        throw new AppError('SERVICE_UNAVAILABLE', 'The webhook could not be checked; retry later');
      });
      found.set(id, integration);
      secrets.add(integration?.appSecret ?? this.config.whatsapp.appSecret);
    }
    if (ids.length === 0) secrets.add(this.config.whatsapp.appSecret);
    // One POST comes from one Meta app: numbers with different secrets cannot all be genuine.
    if (secrets.size !== 1) return this.reject(req, 'mixed_app_secrets');
    const [secret] = [...secrets];
    if (!secret) return this.reject(req, 'no_app_secret');
    if (!verifySignature(raw, header, secret)) return this.reject(req, 'bad_signature');
    req.webhookIntegrations = found;
    return true;
  }

  private reject(req: WebhookRequest, reason: string): never {
    this.metrics.webhookSuspicious.inc({ reason });
    this.metrics.webhookRequests.inc({ outcome: 'bad_signature' });
    this.logger.warn({ ip: req.ip, reason, requestId: req.id }, 'webhook rejected: signature');
    throw new AppError('UNAUTHORIZED', 'Invalid or missing webhook signature');
  }
}
