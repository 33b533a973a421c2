import type { WorkspaceId } from '../common/workspace-id';

/** A message's file as kept by Conecta (the bytes are in GridFS under the message's id). */
export interface StoredMediaFile {
  messageId: string;
  conversationId: string;
  workspaceId: WorkspaceId;
  kind: string;
  fileName: string;
  size: number;
  sha256: string;
  /** What the sender (or Meta) said the file is. */
  declaredType: string | null;
  /** What the first bytes say it is; decides how it is served. */
  sniffedType: string | null;
  messageCreatedAt: Date;
}
