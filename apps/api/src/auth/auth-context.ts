import type { Role } from '@conecta/contracts';

/** Who is calling: a signed-in user (session cookie) or an API key (Bearer). */
export interface AuthContext {
  workspaceId: string;
  userId: string | null;
  apiKeyId: string | null;
  role: Role;
  ip: string;
}
