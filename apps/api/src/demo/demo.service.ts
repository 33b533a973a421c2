import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type {
  DemoInboundInput,
  DemoInboundResult,
  DemoInfo,
  DemoNoticeInput,
  DemoNoticeKind,
  DemoNoticeResult,
} from '@conecta/contracts';
import { type MetaWebhookPayload, WEBHOOK_KINDS } from '@conecta/graph-client/testing';
import type { Actor } from '../common/actor';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import { type DemoCredentials, DemoGraph } from './demo-graph';

/** The management webhook Meta would send for each demo notice (Meta's documented shapes). */
function noticePayload(kind: DemoNoticeKind, c: DemoCredentials): MetaWebhookPayload {
  const waba = c.businessAccountId;
  const displayPhoneNumber = c.displayPhoneNumber.replace(/\D/g, '');
  switch (kind) {
    case 'quality_downgrade':
      return WEBHOOK_KINDS.qualityUpdate(waba, {
        event: 'DOWNGRADE',
        displayPhoneNumber,
        limit: 'TIER_250',
        oldLimit: 'TIER_2K',
      });
    case 'quality_upgrade':
      return WEBHOOK_KINDS.qualityUpdate(waba, {
        event: 'UPGRADE',
        displayPhoneNumber,
        limit: 'TIER_10K',
        oldLimit: 'TIER_2K',
      });
    case 'template_rejected':
      return WEBHOOK_KINDS.templateStatus(waba, {
        event: 'REJECTED',
        reason: 'INVALID_FORMAT',
        name: 'pedido_listo',
        rejectionInfo: {
          reason: 'Variable parameters are not properly formatted.',
          recommendation: 'Use {{1}} style parameters.',
        },
      });
    case 'template_approved':
      return WEBHOOK_KINDS.templateStatus(waba, {
        event: 'APPROVED',
        reason: 'NONE',
        name: 'pedido_listo',
        category: 'UTILITY',
      });
    case 'alert':
      return WEBHOOK_KINDS.accountAlert(waba);
    case 'restriction':
      return WEBHOOK_KINDS.accountUpdate(waba, {
        restrictions: [
          {
            restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING',
            expiration: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          },
        ],
      });
    case 'reinstatement':
      return WEBHOOK_KINDS.accountUpdate(waba, { banState: 'REINSTATE' });
  }
}

/**
 * Demo mode: hands the demo credentials to admins, and makes the in-process fake Meta send signed
 * inbound webhooks to our own endpoint (and delivery statuses for the bot's replies).
 */
@Injectable()
export class DemoService {
  constructor(
    @Optional() @Inject(DemoGraph) private readonly demo: DemoGraph | null,
    private readonly integrations: IntegrationRouting,
    private readonly http: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  info(auth: Actor): DemoInfo {
    if (!this.demo) return { enabled: false };
    return { enabled: true, ...this.demo.credentialsFor(auth.workspaceId) };
  }

  async inbound(auth: Actor, input: DemoInboundInput): Promise<DemoInboundResult> {
    const { demo, credentials, integration } = await this.connectedDemo(auth, input.chatbotId);
    const webhookUrl = `${this.ownBaseUrl()}/api/whatsapp/webhook`;
    demo.fake.autoStatuses = {
      webhookUrl,
      appSecret: credentials.appSecret,
      appSecretFor: (phoneNumberId) => demo.appSecretOf(phoneNumberId),
    };
    const sent = await demo.fake.sendInboundMessage({
      webhookUrl,
      appSecret: credentials.appSecret,
      phoneNumberId: integration.phoneNumberId,
      from: input.from,
      text: input.text,
      contactName: input.contactName,
      ...(input.hoursAgo
        ? {
            timestamp: String(
              Math.floor(this.clock.now().getTime() / 1000) - input.hoursAgo * 3600,
            ),
          }
        : {}),
    });
    return { wamid: sent.wamid, webhookStatus: sent.status };
  }

  /**
   * Makes the fake Meta send a management webhook about this workspace's demo account (quality,
   * template, alert, restriction), signed with its own app secret like a real app's.
   */
  async notice(auth: Actor, input: DemoNoticeInput): Promise<DemoNoticeResult> {
    const { demo, credentials } = await this.connectedDemo(auth, undefined);
    const sent = await demo.fake.sendWebhook({
      webhookUrl: `${this.ownBaseUrl()}/api/whatsapp/webhook`,
      appSecret: credentials.appSecret,
      payload: noticePayload(input.kind, credentials),
    });
    return { webhookStatus: sent.status };
  }

  /** This workspace's own demo number, connected (to this chatbot when one is named). */
  private async connectedDemo(auth: Actor, chatbotId: string | undefined) {
    const demo = this.demo;
    if (!demo) throw AppError.notFound('Demo mode');
    // Signed with this workspace's own app secret: it can reach no other.
    const credentials = demo.credentialsFor(auth.workspaceId);
    const integration = await this.integrations.findActiveByPhoneNumberId(
      credentials.phoneNumberId,
    );
    if (
      !integration ||
      integration.workspaceId !== auth.workspaceId ||
      (chatbotId !== undefined && integration.chatbotId !== chatbotId)
    ) {
      throw AppError.conflict(
        'DEMO_NUMBER_NOT_CONNECTED',
        'Connect the demo WhatsApp number to this chatbot first ("use demo credentials")',
      );
    }
    return { demo, credentials, integration };
  }

  /** Where this process listens (the fake must reach us on loopback, not through a proxy). */
  private ownBaseUrl(): string {
    const server = this.http.httpAdapter.getHttpServer() as {
      address(): AddressInfo | string | null;
    };
    const address = server.address();
    if (address && typeof address === 'object') return `http://127.0.0.1:${address.port}`;
    return `http://127.0.0.1:${this.config.port}`;
  }
}
