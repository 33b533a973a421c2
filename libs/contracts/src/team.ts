import type { Role } from './auth';
import type { FieldRule } from './rules';

/** A person of the workspace as the Team page lists them. */
export interface TeamUserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** A deactivated user cannot sign in; their sessions and API keys stop working. */
  active: boolean;
  createdAt: string;
}

export interface UpdateUserRequest {
  role: Role;
}

/** An invitation not yet used (the link itself is shown only once, when it is made). */
export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface CreateInvitationRequest {
  email: string;
  role: Role;
}

/** Answer of `POST /api/v1/invitations`: the token of the single-use link, shown only here. */
export interface CreatedInvitationResponse extends InvitationView {
  token: string;
}

/** What the person who opens an invitation link sees before accepting it. */
export interface InvitationPreview {
  email: string;
  role: Role;
  workspaceName: string;
  expiresAt: string;
}

export interface AcceptInvitationRequest {
  token: string;
  name: string;
  password: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export const TEAM_RULES = {
  userName: { required: true, minLength: 1, maxLength: 80 },
  /** Invitation tokens are 43 base64url characters. */
  invitationToken: { required: true, minLength: 20, maxLength: 100 },
} satisfies Record<string, FieldRule>;

/**
 * `details.reason` of the team's errors: a used or expired invitation (409), the last active
 * admin of a workspace (409), a wrong current password (403).
 */
export const TEAM_ERROR_REASONS = [
  'INVITATION_USED',
  'INVITATION_EXPIRED',
  'LAST_ADMIN',
  'EMAIL_TAKEN',
  'WRONG_PASSWORD',
] as const;
export type TeamErrorReason = (typeof TEAM_ERROR_REASONS)[number];

/** The SPA path an invitation link opens (the API and the SPA build it the same way). */
export function invitationPath(token: string): string {
  return `/invitacion/${encodeURIComponent(token)}`;
}
