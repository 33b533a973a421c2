declare const WORKSPACE_ID: unique symbol;

/**
 * A workspace's id (24 hex digits), as services and records hold it. Scoped repository methods take
 * this type, not a string: a query without the caller's workspace does not compile. Values come from
 * stored documents (the actor's session or key, a record) through {@link workspaceIdOf}.
 */
export type WorkspaceId = string & { readonly [WORKSPACE_ID]: 'WorkspaceId' };

/** The WorkspaceId of a stored workspace id (its ObjectId, or that ObjectId's hex string). */
export function workspaceIdOf(id: { toHexString(): string } | string): WorkspaceId {
  const hex = typeof id === 'string' ? id.toLowerCase() : id.toHexString();
  if (!/^[a-f0-9]{24}$/.test(hex)) throw new Error('a workspace id has 24 hex digits');
  return hex as WorkspaceId;
}
