import { Schema, Types } from 'mongoose';

export const SESSION_MODEL = 'Session';
export const LOGIN_FAILURE_MODEL = 'LoginFailure';
export const KNOWN_LOGIN_SOURCE_MODEL = 'KnownLoginSource';

export interface SessionDoc {
  _id: Types.ObjectId;
  /** sha256 of the cookie's token (hex): a stolen database does not yield usable cookies. */
  tokenHash: string;
  userId: Types.ObjectId;
  workspaceId: Types.ObjectId;
  ip: string | null;
  createdAt: Date;
  /** Checked in code (the embedded database has no TTL indexes); expired ones are swept on login. */
  expiresAt: Date;
}

export const SessionSchema = new Schema<SessionDoc>(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    ip: { type: String, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'sessions', versionKey: false },
);

/**
 * One failed (or in-flight) sign-in, holding slot `n` of a throttle key (`account:<email>`,
 * `ip:<address>` or `known:<email>|<address>`): `_id` is `<key>#<n>`. A key has as many slots as
 * its limit, and a slot is taken by a unique insert, so concurrent attempts cannot exceed the limit
 * on any database (the embedded FerretDB's updates are not atomic; its unique `_id` is).
 */
export interface LoginFailureDoc {
  _id: string;
  key: string;
  at: Date;
}

export const LoginFailureSchema = new Schema<LoginFailureDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'login_failures', versionKey: false },
);

/** A place (`<email>|<address>`) that has signed in to an account before. */
export interface KnownLoginSourceDoc {
  _id: string;
  at: Date;
}

export const KnownLoginSourceSchema = new Schema<KnownLoginSourceDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'login_known_sources', versionKey: false },
);
