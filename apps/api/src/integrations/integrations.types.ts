/** Decrypted credentials for internal use (webhook, sender). Never leaves the server. */
import type { WorkspaceId } from '../common/workspace-id';
export interface ActiveIntegration {
  id: string;
  workspaceId: WorkspaceId;
  chatbotId: string;
  phoneNumberId: string;
  businessAccountId: string;
  /** Decrypted. */
  accessToken: string;
  /** Decrypted; null → use config.whatsapp.appSecret. */
  appSecret: string | null;
  isActive: boolean;
  /** As Meta showed it at the last successful test; null when never tested. */
  displayPhoneNumber: string | null;
}
