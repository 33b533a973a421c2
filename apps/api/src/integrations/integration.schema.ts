import type { IntegrationErrorType, Platform } from '@conecta/contracts';
import { Schema, Types } from 'mongoose';
import type { EncryptedSecret } from '../crypto/secret-box';

export const INTEGRATION_MODEL = 'Integration';

export interface ConnectionDetailsDoc {
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  businessName: string | null;
  qualityRating: string | null;
  codeVerificationStatus: string | null;
  phoneStatus: string | null;
  platformType: string | null;
  throughputLevel: string | null;
  nameStatus: string | null;
}

/**
 * One platform connection of one chatbot. Credentials are sealed with {@link EncryptedSecret}
 * (AES-256-GCM, versioned key); the verify token is also kept as a sha256 for the webhook's lookup.
 */
export interface IntegrationDoc {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  chatbotId: Types.ObjectId;
  platform: Platform;
  isActive: boolean;
  /** Health as last observed while active: `connected` or `error`. */
  health: 'connected' | 'error';
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: EncryptedSecret;
  tokenLast4: string;
  appSecret: EncryptedSecret | null;
  webhookVerifyToken: EncryptedSecret;
  webhookVerifyTokenHash: string;
  errorType: IntegrationErrorType | null;
  /** Meta's own words for the last credential error (token-free). */
  errorDetail: string | null;
  connection: ConnectionDetailsDoc | null;
  lastTestedAt: Date | null;
  subscribedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const sealed = { type: Schema.Types.Mixed };

export const IntegrationSchema = new Schema<IntegrationDoc>(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    chatbotId: { type: Schema.Types.ObjectId, required: true },
    platform: { type: String, required: true, enum: ['WHATSAPP', 'TELEGRAM'] },
    isActive: { type: Boolean, required: true },
    health: { type: String, required: true, enum: ['connected', 'error'] },
    phoneNumberId: { type: String, required: true },
    businessAccountId: { type: String, required: true },
    accessToken: { ...sealed, required: true },
    tokenLast4: { type: String, required: true },
    appSecret: { ...sealed, default: null },
    webhookVerifyToken: { ...sealed, required: true },
    webhookVerifyTokenHash: { type: String, required: true },
    errorType: { type: String, default: null },
    errorDetail: { type: String, default: null },
    connection: { type: Schema.Types.Mixed, default: null },
    lastTestedAt: { type: Date, default: null },
    subscribedAt: { type: Date, default: null },
    createdBy: { type: String, default: null },
  },
  { collection: 'integrations', timestamps: true, minimize: false },
);
