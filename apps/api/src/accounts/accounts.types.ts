import type { Role } from '@conecta/contracts';
import type { WorkspaceId } from '../common/workspace-id';

export interface WorkspaceRecord {
  id: WorkspaceId;
  name: string;
  createdAt: Date;
}

/** A user as the rest of the API sees it: never the password hash. */
export interface UserRecord {
  id: string;
  workspaceId: WorkspaceId;
  email: string;
  name: string;
  role: Role;
  /** False while deactivated: no sign-in, no session, no API key of theirs works. */
  active: boolean;
  createdAt: Date;
}

/** Only the sign-in path reads the hash, and only through this type. */
export interface UserCredentials extends UserRecord {
  passwordHash: string;
}
