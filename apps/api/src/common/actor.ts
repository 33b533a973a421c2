import type { Role } from '@conecta/contracts';

/** Who does something, as services see it: a user or an API key, in one workspace. */
export interface Actor {
  workspaceId: string;
  userId: string | null;
  apiKeyId: string | null;
  role: Role;
  /** Where the request came from, for the audit log. */
  ip: string;
}
