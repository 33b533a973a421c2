import { Schema, Types } from 'mongoose';
import { AUDIT_OUTCOMES, AuditActorType, AuditOutcome } from '@conecta/contracts';

export const AUDIT_MODEL = 'AuditEntry';

export interface AuditDoc {
  _id: Types.ObjectId;
  /** Null for failed sign-ins with an unknown email (no workspace to file them under). */
  workspaceId: Types.ObjectId | null;
  action: string;
  outcome: AuditOutcome;
  actor: {
    type: AuditActorType;
    userId: string | null;
    apiKeyId: string | null;
    email: string | null;
  };
  target: { type: string; id: string } | null;
  ip: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export const AuditSchema = new Schema<AuditDoc>(
  {
    workspaceId: { type: Schema.Types.ObjectId, default: null },
    action: { type: String, required: true },
    outcome: { type: String, enum: AUDIT_OUTCOMES, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    target: { type: Schema.Types.Mixed, default: null },
    ip: { type: String, default: null },
    metadata: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, required: true },
  },
  { collection: 'audit_log', versionKey: false, minimize: false },
);
