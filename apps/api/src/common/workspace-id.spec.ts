import { Types } from 'mongoose';
import { type WorkspaceId, workspaceIdOf } from './workspace-id';

/** A scoped repository method, as they all are: it takes the workspace as a WorkspaceId. */
function scoped(workspaceId: WorkspaceId): string {
  return workspaceId;
}

describe('WorkspaceId', () => {
  it('comes from a stored ObjectId or its hex string', () => {
    const id = new Types.ObjectId();
    expect(workspaceIdOf(id)).toBe(id.toHexString());
    expect(workspaceIdOf(id.toHexString().toUpperCase())).toBe(id.toHexString());
  });

  it('refuses anything that is not a workspace id', () => {
    expect(() => workspaceIdOf('')).toThrow();
    expect(() => workspaceIdOf('not-a-workspace-id-at-all')).toThrow();
  });

  it('is required by scoped methods: a plain string does not compile', () => {
    const plain: string = 'a'.repeat(24);
    // @ts-expect-error an unscoped call (a string, not a WorkspaceId) must not compile
    expect(scoped(plain)).toBe(plain);
    expect(scoped(workspaceIdOf(plain))).toBe(plain);
  });
});
