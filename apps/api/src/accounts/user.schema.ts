import { Schema, Types } from 'mongoose';
import { ROLES, Role } from '@conecta/contracts';

export const USER_MODEL = 'User';

export interface UserDoc {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  /** Lower-case; unique across all workspaces (one sign-in identity). */
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  /** Set while an admin has deactivated the user (missing on users made before the team existed). */
  deactivatedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const UserSchema = new Schema<UserDoc>(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    email: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    passwordHash: { type: String, required: true },
    deactivatedAt: { type: Date, default: null },
  },
  { collection: 'users', timestamps: true },
);
