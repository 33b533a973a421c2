import { Controller, Get, Header, HttpCode, Post, Query, Req, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth/decorators';
import { ALLOWS_NUL_TEXT } from '../common/json-body';
import { WebhookRateLimitGuard } from './webhook-rate-limit.guard';
import { WebhookSignatureGuard } from './webhook-signature.guard';
import { WebhookEnabledGuard } from './webhook-enabled.guard';
import type { WebhookAck, WebhookRequest } from './webhook.types';
import { WhatsAppWebhookService } from './whatsapp-webhook.service';

/**
 * Meta's callback URL, `/api/whatsapp/webhook`: the GET verification handshake and the signed
 * POST notifications. Called by Meta only, so it stays out of the public API docs.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebhookEnabledGuard)
@Controller('whatsapp/webhook')
export class WhatsAppWebhookController {
  constructor(private readonly webhook: WhatsAppWebhookService) {}

  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  verify(
    @Query('hub.mode') mode?: string,
    @Query('hub.verify_token') token?: string,
    @Query('hub.challenge') challenge?: string,
  ): Promise<string> {
    return this.webhook.verify(mode, token, challenge);
  }

  @Post()
  @HttpCode(200)
  // Browser security headers mean nothing to Meta, and @fastify/helmet builds them anew on every
  // request: skipping them here is a measurable share of the intake's CPU. A customer's text is
  // Meta's to send: a NUL in it must not make Meta's delivery fail (see common/json-body.ts).
  @RouteConfig({ helmet: { skipRoute: true }, [ALLOWS_NUL_TEXT]: true })
  @UseGuards(WebhookRateLimitGuard, WebhookSignatureGuard)
  receive(@Req() req: WebhookRequest): Promise<WebhookAck> {
    return this.webhook.receive(
      req.body,
      req.rawBody,
      req.webhookIntegrations ?? new Map(),
      req.id,
    );
  }
}
