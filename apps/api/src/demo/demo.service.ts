import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { DemoInboundInput, DemoInboundResult, DemoInfo } from '@conecta/contracts';
import type { Actor } from '../common/actor';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import { DemoGraph } from './demo-graph';

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
  ) {}

  info(auth: Actor): DemoInfo {
    if (!this.demo) return { enabled: false };
    return { enabled: true, ...this.demo.credentialsFor(auth.workspaceId) };
  }

  async inbound(auth: Actor, input: DemoInboundInput): Promise<DemoInboundResult> {
    const demo = this.demo;
    if (!demo) throw AppError.notFound('Demo mode');
    // This workspace's own demo number, signed with its own app secret: it can reach no other.
    const credentials = demo.credentialsFor(auth.workspaceId);
    const integration = await this.integrations.findActiveByPhoneNumberId(
      credentials.phoneNumberId,
    );
    if (
      !integration ||
      integration.workspaceId !== auth.workspaceId ||
      (input.chatbotId !== undefined && integration.chatbotId !== input.chatbotId)
    ) {
      throw AppError.conflict(
        'DEMO_NUMBER_NOT_CONNECTED',
        'Connect the demo WhatsApp number to this chatbot first ("use demo credentials")',
      );
    }
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
    });
    return { wamid: sent.wamid, webhookStatus: sent.status };
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
