import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ActiveIntegration } from '../integrations/integrations.types';

/** A webhook POST after the signature guard: the integrations its phone numbers belong to. */
export type WebhookRequest = RawBodyRequest<FastifyRequest> & {
  /**
   * Phone-number id → its integration; null for a number no integration knows, or one whose
   * integration's app secret did not sign the body.
   */
  webhookIntegrations?: Map<string, ActiveIntegration | null>;
};

/** What the webhook answers Meta (any 200 will do; the counts help when debugging). */
export interface WebhookAck {
  received: number;
  duplicates: number;
  ignored: number;
}
