import { Types } from 'mongoose';
import type { WorkspaceId } from '../common/workspace-id';

/** The ObjectId of a 24-hex-digit id, or null for anything else (a foreign id finds nothing). */
export function oid(id: string): Types.ObjectId | null {
  return /^[a-f0-9]{24}$/i.test(id) ? new Types.ObjectId(id) : null;
}

/** The ObjectIds of these ids, leaving out any that is not one (it would find nothing). */
export function oids(ids: readonly string[]): Types.ObjectId[] {
  return ids.map(oid).filter((id): id is Types.ObjectId => id !== null);
}

/** True for MongoDB's duplicate-key error (E11000), the signal of a lost unique insert. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** Strips undefined values, so optional fields stay unset rather than stored as null. */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The stored form of a workspace id (every collection keeps an ObjectId). */
export function workspaceOid(id: WorkspaceId): Types.ObjectId {
  return new Types.ObjectId(id);
}
