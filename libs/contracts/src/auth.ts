import type { FieldRule } from './rules';

/** The httpOnly session cookie set by `POST /api/v1/auth/login`. */
export const SESSION_COOKIE = 'conecta_session';
/** The readable CSRF cookie; state-changing requests send its value in {@link CSRF_HEADER}. */
export const CSRF_COOKIE = 'conecta_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Every API key starts with this, so leaked keys are easy to recognise and scan for. */
export const API_KEY_PREFIX = 'cnk_';

export const ROLES = ['admin', 'agent'] as const;
/** Admins manage chatbots, integrations and keys; agents read conversations. */
export type Role = (typeof ROLES)[number];

export const AUTH_RULES = {
  email: {
    required: true,
    maxLength: 254,
    pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
    format: 'email',
    patternMessage: 'must be an email address',
  },
  /** Login accepts any non-empty password up to this length; new passwords must be longer. */
  password: { required: true, minLength: 1, maxLength: 200 },
  newPassword: { required: true, minLength: 12, maxLength: 200 },
  apiKeyName: { required: true, minLength: 1, maxLength: 80 },
} satisfies Record<string, FieldRule>;

export interface LoginRequest {
  email: string;
  password: string;
}

export interface MeResponse {
  user: { id: string; email: string; name: string; role: Role };
  workspace: { id: string; name: string };
}

export interface ApiKeyView {
  id: string;
  name: string;
  /** The first characters of the key, for recognising it in a list (`cnk_AbCd1234`). */
  prefix: string;
  /** What the key may do: an `agent` key cannot manage keys, integrations or settings. */
  role: Role;
  /** The user who created it, or null when another API key did (see `createdByKeyId`). */
  createdBy: string | null;
  createdByKeyId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreateApiKeyRequest {
  name: string;
  /** Default `agent`; never higher than the creator's own role. */
  role?: Role;
}

/** Answer of key creation: the only time the full key is shown. */
export interface CreatedApiKeyResponse extends ApiKeyView {
  key: string;
}
