import type { Role } from '@conecta/contracts';

export interface WorkspaceRecord {
  id: string;
  name: string;
  createdAt: Date;
}

/** A user as the rest of the API sees it: never the password hash. */
export interface UserRecord {
  id: string;
  workspaceId: string;
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
