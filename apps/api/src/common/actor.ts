import type { Role } from '@conecta/contracts';
import type { WorkspaceId } from './workspace-id';

/** Who does something, as services see it: a user or an API key, in one workspace. */
export interface Actor {
  workspaceId: WorkspaceId;
  userId: string | null;
  apiKeyId: string | null;
  role: Role;
  /** Where the request came from, for the audit log. */
  ip: string;
}
