import { ROLES, type Role } from '@conecta/contracts';
import { Schema, Types } from 'mongoose';

export const API_KEY_MODEL = 'ApiKey';

export interface ApiKeyDoc {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  name: string;
  /** sha256 of the whole key (hex); the key itself is never stored. */
  keyHash: string;
  prefix: string;
  /** Missing on keys made before roles existed: those keep the admin rights they had. */
  role?: Role;
  createdBy: string | null;
  createdByKeyId?: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ApiKeySchema = new Schema<ApiKeyDoc>(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    keyHash: { type: String, required: true },
    prefix: { type: String, required: true },
    role: { type: String, enum: ROLES },
    createdBy: { type: String, default: null },
    createdByKeyId: { type: String, default: null },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'api_keys', timestamps: true },
);
