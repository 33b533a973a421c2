import { ROLES, Role } from '@conecta/contracts';
import { Schema, Types } from 'mongoose';

export const INVITATION_MODEL = 'Invitation';
export const INVITATION_USE_MODEL = 'InvitationUse';

export interface InvitationDoc {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  /** Lower-case. */
  email: string;
  role: Role;
  /** sha256 of the link's token (hex); the token itself is never stored. */
  tokenHash: string;
  createdBy: string | null;
  expiresAt: Date;
  /** Set when the invitation was used or revoked: it no longer shows as pending. */
  acceptedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export const InvitationSchema = new Schema<InvitationDoc>(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    email: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    tokenHash: { type: String, required: true },
    createdBy: { type: String, default: null },
    expiresAt: { type: Date, required: true },
    acceptedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'invitations', versionKey: false },
);

/**
 * The one use of an invitation: `_id` is the invitation's id, so of two requests using the same
 * link only the first insert succeeds (the embedded database's updates are not atomic; its
 * unique `_id` is).
 */
export interface InvitationUseDoc {
  _id: string;
  at: Date;
}

export const InvitationUseSchema = new Schema<InvitationUseDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'invitation_uses', versionKey: false },
);
