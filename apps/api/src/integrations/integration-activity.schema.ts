import { Schema, Types } from 'mongoose';

export const INTEGRATION_ACTIVITY_MODEL = 'IntegrationActivity';

/**
 * When an integration was last heard from, kept apart from the integration: webhooks and sends
 * write it all the time, and the store rewrites a whole document on each update (not atomically),
 * so sharing the integration's document let an activity write put back a stale status.
 * `_id` is the integration's id.
 */
export interface IntegrationActivityDoc {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  lastActivity: Date | null;
  lastWebhookAt: Date | null;
  lastSendOkAt: Date | null;
}

export const IntegrationActivitySchema = new Schema<IntegrationActivityDoc>(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    lastActivity: { type: Date, default: null },
    lastWebhookAt: { type: Date, default: null },
    lastSendOkAt: { type: Date, default: null },
  },
  { collection: 'integration_activity', versionKey: false, minimize: false },
);
