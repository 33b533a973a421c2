import { Schema, Types } from 'mongoose';

export const SESSION_MODEL = 'Session';
export const LOGIN_ATTEMPT_MODEL = 'LoginAttempt';

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

/** Failed sign-ins per key (`account:<email>` or `ip:<address>`), shared by every API process. */
export interface LoginAttemptDoc {
  _id: string;
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

export const LoginAttemptSchema = new Schema<LoginAttemptDoc>(
  {
    _id: { type: String, required: true },
    failures: { type: Number, required: true },
    windowStart: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
  },
  { collection: 'login_attempts', versionKey: false },
);
